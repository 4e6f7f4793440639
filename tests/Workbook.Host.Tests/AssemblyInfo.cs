// Notebook runs change the process's current directory, so the tests in this assembly run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
