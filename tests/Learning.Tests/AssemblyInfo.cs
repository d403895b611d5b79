// TorchSharp's temporary Scalars are not kept alive across native calls (src/Mpc roots its own: RootedScalarOps, but
// the tests' input generation uses TorchSharp's scalar overloads); test classes run one at a time so that a collection
// triggered on another test thread cannot finalize one mid-call.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
