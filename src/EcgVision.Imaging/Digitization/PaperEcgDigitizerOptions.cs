using EcgVision.Imaging.Io;
using EcgVision.Imaging.Rendering;

namespace EcgVision.Imaging.Digitization;

/// <summary>Options for <see cref="PaperEcgDigitizer"/>: how the page was printed (speed, gain, layout) and what signal to produce.</summary>
/// <remarks>Validated once, in the <see cref="PaperEcgDigitizer"/> constructor. The defaults match a clinical 3×4 printout with a
/// lead II rhythm strip at 25 mm/s and 10 mm/mV, as <see cref="PaperEcgRenderer"/> and ECG-Image-Kit draw it.</remarks>
public sealed record PaperEcgDigitizerOptions
{
    /// <summary>Paper speed the page was printed at, in mm/s; default 25. Allowed 5–200.</summary>
    public double SpeedMillimetersPerSecond { get; init; } = 25;

    /// <summary>Gain the page was printed at, in mm/mV; default 10. Allowed 1–100.</summary>
    public double GainMillimetersPerMillivolt { get; init; } = 10;

    /// <summary>Sampling rate of the output record in Hz; default 100. Allowed 10–2000.</summary>
    public double SamplingRate { get; init; } = 100;

    /// <summary>Time covered by the full page width (the rhythm strip) in seconds; default 10. Allowed 1–60.</summary>
    public double DurationSeconds { get; init; } = 10;

    /// <summary>The lead arrangement on the page; default <see cref="PaperEcgLayout.ThreeByFour"/>.</summary>
    public PaperEcgLayout Layout { get; init; } = PaperEcgLayout.ThreeByFour;

    /// <summary>Whether a full-width rhythm strip is printed below the grid rows; default <see langword="true"/>. Ignored for <see cref="PaperEcgLayout.TwelveByOne"/>.</summary>
    public bool HasRhythmStrip { get; init; } = true;

    /// <summary>The lead shown in the rhythm strip (any spelling <see cref="Signals.StandardLeads"/> understands); default <c>II</c>.</summary>
    public string RhythmLead { get; init; } = "II";

    /// <summary>Largest page rotation (skew) searched for, in degrees either way; default 5. Allowed 0–15.</summary>
    public double MaxRotationDegrees { get; init; } = 5;

    /// <summary>Byte and pixel limits for decoding untrusted files (<see cref="EcgImageLoader"/>); <see langword="null"/> (default) for its defaults.
    /// Only <see cref="EcgImageLoadOptions.MaxBytes"/>, <see cref="EcgImageLoadOptions.MaxPixels"/> and <see cref="EcgImageLoadOptions.AutoOrient"/> apply: the page is read at its native size.</summary>
    public EcgImageLoadOptions? LoadOptions { get; init; }
}
