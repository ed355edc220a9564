using Gdm.Bench;
using Gdm.Training.Cli;

// gdm-bench [flags] | gdm-bench fuzz [flags] | gdm-bench load [flags] (BenchCommandLine); `--help` lists every flag
// with its unit and default, and a bad flag is one line and exit code 2.
return await CommandLineRun.InvokeAsync(BenchCommandLine.Create(), args, BenchCommandLine.IsUsageError);
