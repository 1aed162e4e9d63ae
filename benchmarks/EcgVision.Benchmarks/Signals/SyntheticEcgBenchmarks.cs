using BenchmarkDotNet.Attributes;
using EcgVision.Signals.Synthetic;

namespace EcgVision.Benchmarks.Signals;

/// <summary>Generating one 12-lead, 10-s synthetic record at 100 and 500 Hz, and a 100-record corpus.</summary>
[MemoryDiagnoser]
public class SyntheticEcgBenchmarks
{
    private SyntheticEcgGenerator _generator = null!;
    private SyntheticEcgGenerator _noiseFree = null!;
    private SyntheticEcgSpec _normal = null!;
    private SyntheticEcgSpec _fibrillation = null!;

    [Params(100, 500)]
    public int SamplingRate { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _generator = new SyntheticEcgGenerator(new SyntheticEcgOptions { SamplingRate = SamplingRate });
        _noiseFree = new SyntheticEcgGenerator(new SyntheticEcgOptions { SamplingRate = SamplingRate, IncludeNoise = false });
        _normal = new SyntheticEcgSpec { HeartRate = 72 };
        _fibrillation = SyntheticEcgSpec.Of(SyntheticCondition.AtrialFibrillation, SyntheticCondition.LeftBundleBranchBlock, SyntheticCondition.PrematureVentricularComplex);
    }

    /// <summary>A normal record with the default noise.</summary>
    [Benchmark(Baseline = true)]
    public SyntheticEcg Normal() => _generator.Generate(_normal, 1);

    /// <summary>The same record without noise (the dipole model alone).</summary>
    [Benchmark]
    public SyntheticEcg NormalNoiseFree() => _noiseFree.Generate(_normal, 1);

    /// <summary>Atrial fibrillation (f-waves) with LBBB and PVCs: the costliest rhythm path.</summary>
    [Benchmark]
    public SyntheticEcg FibrillationLbbbPvc() => _generator.Generate(_fibrillation, 1);

    /// <summary>A 100-record corpus (plan, mix, reports), sequential.</summary>
    [Benchmark(OperationsPerInvoke = 100)]
    public IReadOnlyList<SyntheticEcg> Corpus100() =>
        SyntheticEcgCorpus.Generate(100, 1, new SyntheticCorpusOptions { Ecg = new SyntheticEcgOptions { SamplingRate = SamplingRate } });
}
