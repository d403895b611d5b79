// Tests start processes on free ports and redirect Console.Error (process-wide): one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
