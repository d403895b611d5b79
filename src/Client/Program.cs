using SecureCompute.Client;

return CliApp.Build().Parse(args).Invoke();
