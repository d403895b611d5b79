// The grains of DESIGN §2 arrive with the parties-as-grains work; data loading (Data/) is here already.
using System.Runtime.CompilerServices;

[assembly: System.CLSCompliant(false)]
[assembly: InternalsVisibleTo("SecureCompute.Grains.Tests")]
