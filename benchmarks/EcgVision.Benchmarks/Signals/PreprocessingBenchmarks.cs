using BenchmarkDotNet.Attributes;
using EcgVision.Signals;
using EcgVision.Signals.Processing;

namespace EcgVision.Benchmarks.Signals;

/// <summary>Zero-phase band-pass of a 12-lead 10-s record at 500 Hz, R-peak detection on a 10-s lead, and 500→100 Hz resampling.</summary>
public class PreprocessingBenchmarks
{
    private EcgRecord _record = null!;
    private SecondOrderSections _bandPass = null!;
    private float[] _lead500 = null!;
    private float[] _lead100 = null!;
    private float[] _destination = null!;
    private readonly RPeakDetector _detector = new();

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var leads = new float[12][];
        for (int l = 0; l < 12; l++)
        {
            leads[l] = new float[5000];
            for (int i = 0; i < 5000; i++)
            {
                double t = i / 500.0;
                double phase = (t % 0.8) - 0.4;
                leads[l][i] = (float)((1.2 * Math.Exp(-phase * phase / 0.0003)) + (0.3 * Math.Sin(2 * Math.PI * 0.3 * t)) + (0.03 * ((2 * random.NextDouble()) - 1)));
            }
        }

        _record = EcgRecord.FromLeads(leads, 500);
        _bandPass = Butterworth.BandPass(2, 0.5, 40, 500);
        _lead500 = leads[1];
        _lead100 = Resampler.Resample(_lead500, 500, 100);
        _destination = new float[5000];
    }

    /// <summary>0.5–40 Hz order-2 sosfiltfilt on 12 leads × 5000 samples, through the record extension (allocates the new record).</summary>
    [Benchmark]
    public EcgRecord BandPassRecord12x5000() => _record.BandPass(0.5, 40);

    /// <summary>The same filter on one 5000-sample lead into a preallocated span.</summary>
    [Benchmark]
    public void BandPassLead5000() => _bandPass.FilterForwardBackward(_lead500, _destination);

    /// <summary>R-peak detection on a 10-s lead at 500 Hz.</summary>
    [Benchmark]
    public int[] DetectRPeaks500Hz() => _detector.Detect(_lead500, 500);

    /// <summary>R-peak detection on a 10-s lead at 100 Hz.</summary>
    [Benchmark]
    public int[] DetectRPeaks100Hz() => _detector.Detect(_lead100, 100);

    /// <summary>Record-level R-peak detection (the default: QRS found on the summed energy of all 12 leads, located on lead II), 10 s at 500 Hz.</summary>
    [Benchmark]
    public int[] DetectRPeaksRecord500Hz() => _detector.Detect(_record);

    /// <summary>resample_poly 500 → 100 Hz of 12 leads × 5000 samples.</summary>
    [Benchmark]
    public EcgRecord ResampleRecord500To100() => _record.Resample(100);
}
