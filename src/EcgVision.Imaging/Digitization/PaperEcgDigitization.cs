using EcgVision.Signals;

namespace EcgVision.Imaging.Digitization;

/// <summary>Where one lead of a digitised page holds printed data, in samples of <see cref="PaperEcgDigitization.Record"/>.</summary>
/// <param name="Lead">The standard lead name (e.g. <c>aVR</c>).</param>
/// <param name="StartSample">The first sample read from the page.</param>
/// <param name="EndSampleExclusive">One past the last sample read from the page; samples outside [start, end) are NaN.</param>
public sealed record DigitizedLeadWindow(string Lead, int StartSample, int EndSampleExclusive);

/// <summary>The result of <see cref="PaperEcgDigitizer.Digitize(string)"/>: the recovered 12-lead signal and how it was read.</summary>
public sealed class PaperEcgDigitization
{
    internal PaperEcgDigitization(EcgRecord record, IReadOnlyList<DigitizedLeadWindow> leadWindows, double rotationDegrees, double pixelsPerMillimeter, double confidence, IReadOnlyList<string> warnings)
    {
        Record = record;
        LeadWindows = leadWindows;
        RotationDegrees = rotationDegrees;
        PixelsPerMillimeter = pixelsPerMillimeter;
        Confidence = confidence;
        Warnings = warnings;
    }

    /// <summary>The 12 standard leads in <see cref="StandardLeads.TwelveLead"/> order, in mV, at <see cref="PaperEcgDigitizerOptions.SamplingRate"/>,
    /// <c>DurationSeconds × SamplingRate</c> samples long.</summary>
    /// <remarks>Samples a lead was not printed for are <see cref="float.NaN"/> (3×4: I/II/III at 0–2.5 s, aVR/aVL/aVF at 2.5–5 s, V1–V3 at
    /// 5–7.5 s, V4–V6 at 7.5–10 s; the rhythm lead over the whole 10 s). <see cref="EcgMetadata.Source"/> is <c>digitized:&lt;source&gt;</c>.</remarks>
    public EcgRecord Record { get; }

    /// <summary>One window per lead: the samples of <see cref="Record"/> that were read from the page.</summary>
    public IReadOnlyList<DigitizedLeadWindow> LeadWindows { get; }

    /// <summary>The estimated page rotation in degrees (positive = clockwise as seen on screen, y pointing down), which was corrected before reading.</summary>
    public double RotationDegrees { get; }

    /// <summary>The page scale in pixels per millimetre of paper: from the grid period, or from the trace extent when no grid was found (see <see cref="Warnings"/>).</summary>
    public double PixelsPerMillimeter { get; }

    /// <summary>A quality score in [0, 1]: the fraction of expected pixel columns, over all lead windows, in which a trace was found
    /// (gaps are filled by linear interpolation), multiplied by 0.8 when no grid was found (the scale is then a guess from the trace extent).</summary>
    public double Confidence { get; }

    /// <summary>Anything unusual the digitiser noticed (no grid, gaps, an extent that does not match the speed); empty for a clean page.</summary>
    public IReadOnlyList<string> Warnings { get; }
}
