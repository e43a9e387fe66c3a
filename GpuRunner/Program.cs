return BertPlatform.GpuRunner.Cli.CommandLine.Run(args);
