// Before anything loads libtorch: how its OpenMP threads wait is fixed when it loads.
BertPlatform.GpuRunner.Modeling.CpuThreads.WaitPassivelyUnlessConfigured();
return BertPlatform.GpuRunner.Cli.CommandLine.Run(args);
