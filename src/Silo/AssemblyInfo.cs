// The silo host (configuration -> clustering, party identity, storage, TLS, exporters) arrives with the
// real-cluster work. Until then this is a library so that nobody mistakes it for a runnable host.
[assembly: System.CLSCompliant(false)]
