using BenchmarkDotNet.Attributes;
using EcgVision.Signals;
using EcgVision.Signals.Wfdb;

namespace EcgVision.Benchmarks.Signals;

/// <summary>Reading a 12-lead, 10 s, 500 Hz format-16 WFDB record (PTB-XL's records500 shape) from a temp file.</summary>
[MemoryDiagnoser]
public class WfdbReaderBenchmarks
{
    private string _dir = "";
    private string _header = "";

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        var data = new float[12 * 5000];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)Math.Round((rng.NextDouble() * 4) - 2, 3);
        }

        _dir = Path.Combine(Path.GetTempPath(), "ecgvision-bench-" + Guid.NewGuid().ToString("N"));
        WfdbWriter.Write(new EcgRecord(data, 500, StandardLeads.TwelveLead), _dir, "00001_hr");
        _header = Path.Combine(_dir, "00001_hr.hea");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [Benchmark(Baseline = true)]
    public int ReadHeader() => WfdbReader.ReadHeader(_header).SignalCount;

    [Benchmark]
    public int ReadDigital() => WfdbReader.ReadDigital(_header).FrameCount;

    [Benchmark]
    public int Read() => WfdbReader.Read(_header).SampleCount;
}
