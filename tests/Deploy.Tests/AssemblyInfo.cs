// The tests only read files and run kubectl/node on them; the renderings are cached per kustomization, so running
// test classes in parallel is safe.
[assembly: CollectionBehavior(DisableTestParallelization = false)]
