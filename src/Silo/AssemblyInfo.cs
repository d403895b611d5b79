// The embedded cluster (demo, tests) lives here; the standalone silo process arrives with the real-cluster work.
[assembly: System.CLSCompliant(false)]
