using BenchmarkDotNet.Attributes;
using EcgVision.Signals.Formats;

namespace EcgVision.Benchmarks.Formats;

/// <summary>
/// Reading one 10-s (Sierra: 11-s) 12-lead file per clinical format from memory through <see cref="EcgFile.ReadDocument(Stream, string?)"/>
/// (detection + parse + representative beats). Records/s = 1 / mean. Needs ../shared/data/formats (or ECGVISION_SHARED).
/// </summary>
[MemoryDiagnoser]
public class ClinicalFormatReaderBenchmarks
{
    private readonly Dictionary<string, byte[]> _files = [];

    [Params("hl7-aecg/hl7_example_aecg.xml", "ge-muse-xml/muse_ecg1.xml", "scp-ecg/ecgtoolkit_example.scp",
        "dicom-ecg/ecgtoolkit_example.dcm", "philips-sierra-xml/ad4d3d80-d165_1-04_orig.xml")]
    public string File { get; set; } = "";

    [GlobalSetup]
    public void Setup() => _files[File] = System.IO.File.ReadAllBytes(Path.Combine(SharedFolder(), "data", "formats", File));

    [Benchmark]
    public int ReadDocument() => EcgFile.ReadDocument(new MemoryStream(_files[File], writable: false), File).Rhythm.SampleCount;

    private static string SharedFolder()
    {
        if (Environment.GetEnvironmentVariable("ECGVISION_SHARED") is { Length: > 0 } env)
        {
            return env;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "EcgVision.sln")))
            {
                return Path.Combine(dir.Parent!.FullName, "shared");
            }
        }

        throw new InvalidOperationException("../shared not found; set ECGVISION_SHARED.");
    }
}
