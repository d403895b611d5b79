// The bad-input tests redirect Console.Error, which is process-wide: run this project's tests one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
