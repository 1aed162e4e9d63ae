using EcgVision.Signals;

namespace EcgVision.Imaging.Rendering;

/// <summary>One lead drawn over one time window in one row of the page.</summary>
/// <param name="Lead">Standard lead name.</param>
/// <param name="Row">Row index, 0 at the top.</param>
/// <param name="Column">Column index, 0 at the left.</param>
/// <param name="StartSeconds">Window start in record time.</param>
/// <param name="EndSeconds">Window end in record time.</param>
/// <param name="IsRhythmStrip">Whether this is the long strip at the bottom.</param>
internal readonly record struct PlotSegment(string Lead, int Row, int Column, double StartSeconds, double EndSeconds, bool IsRhythmStrip);

/// <summary>The page geometry in millimetres, computed once per options: where every row, column, pulse and grid line goes.</summary>
/// <remarks>
/// The grid is anchored at the trace origin (<see cref="TraceOriginX"/>, first baseline), so t = 0 and every row baseline fall on
/// a major (5 mm) line; record time t maps to x = <see cref="TraceOriginX"/> + t · speed for every segment, because the columns
/// show consecutive windows. Row pitch is a whole number of major squares.
/// </remarks>
internal sealed class PaperEcgLayoutPlan
{
    internal const double TotalSeconds = 10;
    internal const double CalibrationLeadInMm = 2;
    internal const double CalibrationLeadOutMm = 2;
    internal const double MinSideMarginMm = 3;

    private static readonly string[][] s_threeByFour =
    [
        ["I", "II", "III"], ["aVR", "aVL", "aVF"], ["V1", "V2", "V3"], ["V4", "V5", "V6"],
    ];

    private static readonly string[][] s_sixByTwo =
    [
        ["I", "II", "III", "aVR", "aVL", "aVF"], ["V1", "V2", "V3", "V4", "V5", "V6"],
    ];

    private PaperEcgLayoutPlan(PaperEcgRenderOptions o)
    {
        Options = o;
        PixelsPerMm = o.Dpi / 25.4;
        WidthPixels = (int)Math.Round(o.Paper.WidthMillimeters * PixelsPerMm, MidpointRounding.AwayFromZero);
        HeightPixels = (int)Math.Round(o.Paper.HeightMillimeters * PixelsPerMm, MidpointRounding.AwayFromZero);
        double speed = o.SpeedMillimetersPerSecond;
        double traceWidth = TotalSeconds * speed;
        CalibrationWidthMm = 0.2 * speed;
        double calArea = o.ShowCalibrationPulse ? CalibrationLeadInMm + CalibrationWidthMm + CalibrationLeadOutMm : 0;
        double block = calArea + traceWidth;
        if (block + 2 * MinSideMarginMm > o.Paper.WidthMillimeters)
        {
            throw new ArgumentException(
                $"Paper width must hold 10 s at {speed} mm/s plus the calibration pulse and margins ({block + 2 * MinSideMarginMm:0.#} mm) (got {o.Paper.WidthMillimeters:0.#} mm); use a lower speed or wider paper.",
                "options");
        }

        double left = (o.Paper.WidthMillimeters - block) / 2;
        CalibrationStartX = left;
        TraceOriginX = left + calArea;

        string[][] columns = o.Layout switch
        {
            PaperEcgLayout.ThreeByFour => s_threeByFour,
            PaperEcgLayout.SixByTwo => s_sixByTwo,
            PaperEcgLayout.TwelveByOne => [StandardLeads.TwelveLead.ToArray()],
            _ => throw new NotSupportedException($"Layout {o.Layout} is not supported."),
        };
        bool rhythm = o.ShowRhythmStrip && o.Layout != PaperEcgLayout.TwelveByOne;
        int gridRows = columns[0].Length;
        RowCount = gridRows + (rhythm ? 1 : 0);
        ColumnCount = columns.Length;

        double headerMm = o.ShowHeader ? o.LabelSizeMillimeters * 1.2 + 4 : 0;
        double top = 4 + headerMm;
        double bottom = 4;
        double available = o.Paper.HeightMillimeters - top - bottom;
        RowPitchMm = Math.Floor(available / RowCount / 5) * 5;
        if (RowPitchMm < 5)
        {
            throw new ArgumentException(
                $"Paper height must give each of the {RowCount} rows at least 5 mm (got {o.Paper.HeightMillimeters:0.#} mm); use taller paper or another layout.",
                "options");
        }

        double blockHeight = RowPitchMm * RowCount;
        double firstRowTop = top + (available - blockHeight) / 2;
        Baselines = new double[RowCount];
        for (int r = 0; r < RowCount; r++)
        {
            // Baselines sit at 60 % of the row: QRS complexes mostly point up, so give them more room above.
            Baselines[r] = firstRowTop + r * RowPitchMm + RowPitchMm * 0.6;
        }

        HeaderBaselineY = 3 + o.LabelSizeMillimeters;
        double columnSeconds = TotalSeconds / ColumnCount;
        var segments = new List<PlotSegment>();
        for (int c = 0; c < ColumnCount; c++)
        {
            for (int r = 0; r < gridRows; r++)
            {
                segments.Add(new PlotSegment(columns[c][r], r, c, c * columnSeconds, (c + 1) * columnSeconds, false));
            }
        }

        if (rhythm)
        {
            segments.Add(new PlotSegment(StandardLeads.Canonicalize(o.RhythmLead), RowCount - 1, 0, 0, TotalSeconds, true));
        }

        Segments = segments;
    }

    public PaperEcgRenderOptions Options { get; }

    public double PixelsPerMm { get; }

    public int WidthPixels { get; }

    public int HeightPixels { get; }

    /// <summary>x (mm) of record time 0; a major grid line.</summary>
    public double TraceOriginX { get; }

    /// <summary>x (mm) where the calibration lead-in starts.</summary>
    public double CalibrationStartX { get; }

    /// <summary>Width (mm) of the 0.2-s pulse.</summary>
    public double CalibrationWidthMm { get; }

    public int RowCount { get; }

    public int ColumnCount { get; }

    public double RowPitchMm { get; }

    /// <summary>Row baselines (0 mV), y in mm from the top; all on major grid lines.</summary>
    public double[] Baselines { get; }

    public double HeaderBaselineY { get; }

    public IReadOnlyList<PlotSegment> Segments { get; }

    /// <summary>Grid anchor: a point on a major-line crossing.</summary>
    public (double X, double Y) GridAnchor => (TraceOriginX, Baselines[0]);

    public static PaperEcgLayoutPlan Create(PaperEcgRenderOptions options) => new(options);

    /// <summary>x in mm of record time <paramref name="seconds"/>.</summary>
    public double XForTime(double seconds) => TraceOriginX + seconds * Options.SpeedMillimetersPerSecond;

    /// <summary>y in mm of <paramref name="millivolts"/> in row <paramref name="row"/>.</summary>
    public double YForValue(int row, double millivolts) => Baselines[row] - millivolts * Options.GainMillimetersPerMillivolt;
}
