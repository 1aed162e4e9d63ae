using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace EcgVision.Benchmarks;

/// <summary>Shared BenchmarkDotNet configurations: <see cref="Short"/> for a quick look, <see cref="Standard"/> for the numbers in docs/performance.md.</summary>
public static class BenchmarkConfig
{
    public static IConfig Standard { get; } = DefaultConfig.Instance
        .AddDiagnoser(MemoryDiagnoser.Default)
        .WithOptions(ConfigOptions.JoinSummary);

    public static IConfig Short { get; } = DefaultConfig.Instance
        .AddJob(Job.ShortRun)
        .AddDiagnoser(MemoryDiagnoser.Default);
}
