// In-process kernels share process-wide state (Console capture, chart sessions), and every notebook run starts
// worker processes on a small machine: the tests in this assembly run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
