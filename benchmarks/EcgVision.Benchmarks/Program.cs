using BenchmarkDotNet.Running;

// Run with: dotnet run -c Release --project benchmarks/EcgVision.Benchmarks -- --filter '*'
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, EcgVision.Benchmarks.BenchmarkConfig.Standard);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
