// TorchSharp's temporary Scalars are not kept alive across native calls, so a collection triggered by another
// allocating thread can free one mid-call; test classes run one at a time so that only one thread drives libtorch
// (see Directory.Build.props and the closing note of the session that added this).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
