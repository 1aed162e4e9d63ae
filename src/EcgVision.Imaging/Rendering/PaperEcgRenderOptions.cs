namespace EcgVision.Imaging.Rendering;

/// <summary>How the leads are arranged on the page.</summary>
public enum PaperEcgLayout
{
    /// <summary>The clinical 3×4 layout: four consecutive 2.5-s columns (I/II/III, aVR/aVL/aVF, V1–V3, V4–V6), plus an optional 10-s rhythm strip.</summary>
    ThreeByFour = 0,

    /// <summary>Six rows, two consecutive 5-s columns (limb leads at 0–5 s, precordial leads at 5–10 s), plus an optional 10-s rhythm strip.</summary>
    SixByTwo = 1,

    /// <summary>Twelve rows of 10 s each (no rhythm strip: every row already is one).</summary>
    TwelveByOne = 2,
}

/// <summary>Colour presets for the paper grid (the trace is always black).</summary>
public enum GridColorScheme
{
    /// <summary>Red major and light red minor lines on white (the most common thermal paper).</summary>
    Red = 0,

    /// <summary>Pink lines on a faintly pink background.</summary>
    Pink = 1,

    /// <summary>Blue lines on white.</summary>
    Blue = 2,

    /// <summary>Green lines on white.</summary>
    Green = 3,

    /// <summary>Brown lines on cream paper.</summary>
    Brown = 4,

    /// <summary>Grey lines on white, as a black-and-white photocopy or laser print.</summary>
    BlackAndWhite = 5,
}

/// <summary>A paper size in millimetres (width × height as the page is printed, i.e. landscape for ECGs).</summary>
/// <param name="WidthMillimeters">Page width in mm; positive.</param>
/// <param name="HeightMillimeters">Page height in mm; positive.</param>
public sealed record PaperSize(double WidthMillimeters, double HeightMillimeters)
{
    /// <summary>US letter, landscape: 279.4 × 215.9 mm (11 × 8.5 in; 2200 × 1700 px at 200 DPI).</summary>
    public static PaperSize LetterLandscape { get; } = new(279.4, 215.9);

    /// <summary>ISO A4, landscape: 297 × 210 mm (2339 × 1654 px at 200 DPI).</summary>
    public static PaperSize A4Landscape { get; } = new(297, 210);
}

/// <summary>Options for <see cref="PaperEcgRenderer"/>: paper, resolution, layout, speed and gain, colours and annotations.</summary>
/// <remarks>Validated once, in the <see cref="PaperEcgRenderer"/> constructor. Lengths are in millimetres of paper.</remarks>
public sealed record PaperEcgRenderOptions
{
    /// <summary>The paper size; default <see cref="PaperSize.LetterLandscape"/>.</summary>
    public PaperSize Paper { get; init; } = PaperSize.LetterLandscape;

    /// <summary>Resolution in dots per inch (pixels per 25.4 mm); default 200, allowed 50–1200.</summary>
    public double Dpi { get; init; } = 200;

    /// <summary>The lead arrangement; default <see cref="PaperEcgLayout.ThreeByFour"/>.</summary>
    public PaperEcgLayout Layout { get; init; } = PaperEcgLayout.ThreeByFour;

    /// <summary>Paper speed in mm/s; default 25 (clinical standard; 50 is the other common setting). Allowed 5–200.</summary>
    /// <remarks>The layout always shows 10 s; the page must be wide enough for it at this speed, or the constructor throws.</remarks>
    public double SpeedMillimetersPerSecond { get; init; } = 25;

    /// <summary>Gain in mm/mV; default 10 (clinical standard; 5 and 20 are the other settings). Allowed 1–100.</summary>
    public double GainMillimetersPerMillivolt { get; init; } = 10;

    /// <summary>Grid colours; default <see cref="GridColorScheme.Red"/>.</summary>
    public GridColorScheme GridColors { get; init; } = GridColorScheme.Red;

    /// <summary>Whether to draw the 10-s rhythm strip under the 3×4 or 6×2 grid; default <see langword="true"/>. Ignored for 12×1.</summary>
    public bool ShowRhythmStrip { get; init; } = true;

    /// <summary>The lead shown in the rhythm strip; default <c>II</c>.</summary>
    public string RhythmLead { get; init; } = "II";

    /// <summary>Whether to draw the 0.2 s × 1 mV calibration pulse at the start of each row; default <see langword="true"/>.</summary>
    public bool ShowCalibrationPulse { get; init; } = true;

    /// <summary>Whether to print lead names (I, aVR, V1, …) in each cell; default <see langword="true"/>.</summary>
    public bool ShowLeadLabels { get; init; } = true;

    /// <summary>Whether to draw a short vertical tick where one column's lead gives way to the next; default <see langword="true"/>.</summary>
    public bool ShowLeadSeparators { get; init; } = true;

    /// <summary>Whether to print the header line at the top of the page; default <see langword="true"/>.</summary>
    public bool ShowHeader { get; init; } = true;

    /// <summary>The header text; <see langword="null"/> (default) builds it from the record's metadata: id, age, sex, speed and gain.</summary>
    public string? HeaderText { get; init; }

    /// <summary>Trace line width in mm; default 0.25 (2 px at 200 DPI). Never thinner than 1.5 px at low DPI.</summary>
    public double TraceWidthMillimeters { get; init; } = 0.25;

    /// <summary>Label text height (cap-height scale, font size) in mm; default 3.5.</summary>
    public double LabelSizeMillimeters { get; init; } = 3.5;

    /// <summary>Optional photo/scan augmentation applied after rendering; <see langword="null"/> (default) for a clean printout.</summary>
    public PaperEcgAugmentationOptions? Augmentation { get; init; }
}
