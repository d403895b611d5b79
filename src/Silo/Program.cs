using SecureCompute.Silo.Hosting;

return await SiloHost.RunAsync(args);
