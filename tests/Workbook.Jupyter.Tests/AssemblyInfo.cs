// Kernels change process-wide state (the current directory, Console capture, chart sessions): one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
