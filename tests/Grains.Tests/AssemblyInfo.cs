// TorchSharp's temporary Scalars are not kept alive across native calls, so a collection triggered by another
// allocating thread can free one mid-call (reproduced in this assembly as "alpha must not be a floating point
// number"); test classes run one at a time so that only one thread drives libtorch.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
