// The grains of DESIGN §2 arrive with the parties-as-grains work; they call the begin/finish
// steps of SecureCompute.Mpc exactly as SecureCompute.Mpc.Simulation.LocalMpc does.
[assembly: System.CLSCompliant(false)]
