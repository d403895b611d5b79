using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("SecureCompute.Mpc.Tests")]
