using System.Globalization;
using EcgVision.Imaging.Internal;
using EcgVision.Internal;
using EcgVision.Signals;
using SkiaSharp;

namespace EcgVision.Imaging.Rendering;

/// <summary>Renders a 12-lead <see cref="EcgRecord"/> as a clinical paper printout: grid, calibration pulses, lead labels and traces.</summary>
/// <remarks>
/// <para>Geometry: record time t maps to x = x₀ + t · speed and a value v (mV) in row r to y = baseline_r − v · gain, both in mm of
/// paper, then to pixels at DPI / 25.4 px per mm. The 1 mm / 5 mm grid is anchored at x₀ and the first baseline, so t = 0, every whole
/// 0.2 s and every row baseline fall on major lines. See docs/rendering.md for the layouts.</para>
/// <para>Leads are looked up by name (any spelling <see cref="StandardLeads"/> understands) at any sampling rate. A record shorter than
/// 10 s is drawn as far as it goes, and cells past its end stay empty (label only). NaN samples break the trace (a gap).
/// Traces are not clipped to their row: large deflections overlap the neighbouring rows, as on real paper.</para>
/// <para>Output is deterministic: the same record, options and seed give the same pixels and PNG bytes with the same SkiaSharp
/// and ImageSharp builds (embedded font, fixed hinting, a PRNG defined in this library, no system fonts; see docs/rendering.md
/// for the cross-machine caveats). The record-independent part of the page is drawn once per renderer and cached. The class
/// is immutable and thread-safe.</para>
/// </remarks>
public sealed class PaperEcgRenderer
{
    /// <summary>The 1-mm grid is drawn only when its lines are at least this many pixels apart (DPI ≥ 63.5).</summary>
    internal const float MinPixelsPerMmForMinorGrid = 2.5f;

    private readonly PaperEcgLayoutPlan _plan;
    private readonly PaperEcgAugmenter? _augmenter;
    private readonly Lazy<byte[]> _template;

    /// <summary>Creates a renderer, validating the options once.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults (US letter landscape, 200 DPI, 3×4 + rhythm strip, 25 mm/s, 10 mm/mV).</param>
    /// <exception cref="ArgumentOutOfRangeException">A numeric option is outside its documented range.</exception>
    /// <exception cref="ArgumentException">The paper cannot hold the layout at this speed, or the rhythm lead is not a standard lead.</exception>
    /// <exception cref="NotSupportedException">An enum option has an undefined value.</exception>
    public PaperEcgRenderer(PaperEcgRenderOptions? options = null)
    {
        options ??= new PaperEcgRenderOptions();
        Validate(options);
        Options = options;
        _plan = PaperEcgLayoutPlan.Create(options);
        _augmenter = options.Augmentation is null ? null : new PaperEcgAugmenter(options.Augmentation);
        _template = new Lazy<byte[]>(DrawTemplate, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The validated options.</summary>
    public PaperEcgRenderOptions Options { get; }

    /// <summary>Width of the rendered page in pixels (paper width × DPI / 25.4, rounded).</summary>
    public int Width => _plan.WidthPixels;

    /// <summary>Height of the rendered page in pixels.</summary>
    public int Height => _plan.HeightPixels;

    internal PaperEcgLayoutPlan Plan => _plan;

    /// <summary>Renders a record with default options and writes it as PNG to a stream.</summary>
    /// <param name="record">A record with the 12 standard leads.</param>
    /// <param name="options">Render options, or <see langword="null"/> for the defaults.</param>
    /// <param name="destination">The stream to write the PNG to; left open.</param>
    /// <param name="seed">Seed for the augmentation in <paramref name="options"/>, if any.</param>
    /// <returns>The bounding boxes of the plotted leads.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">The record lacks a lead the layout needs.</exception>
    public static IReadOnlyList<LeadBoundingBox> RenderPng(EcgRecord record, PaperEcgRenderOptions? options, Stream destination, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(destination);
        PaperEcgImage image = new PaperEcgRenderer(options).Render(record, seed);
        image.WritePng(destination);
        return image.LeadBoxes;
    }

    /// <summary>Renders a record and saves it as PNG, atomically.</summary>
    /// <param name="record">A record with the 12 standard leads.</param>
    /// <param name="options">Render options, or <see langword="null"/> for the defaults.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="seed">Seed for the augmentation in <paramref name="options"/>, if any.</param>
    /// <returns>The bounding boxes of the plotted leads.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="KeyNotFoundException">The record lacks a lead the layout needs.</exception>
    public static IReadOnlyList<LeadBoundingBox> RenderPng(EcgRecord record, PaperEcgRenderOptions? options, string path, int seed = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        PaperEcgImage image = new PaperEcgRenderer(options).Render(record, seed);
        image.SavePng(path);
        return image.LeadBoxes;
    }

    /// <summary>Renders a record, then applies <see cref="PaperEcgRenderOptions.Augmentation"/> (if set) with the given seed.</summary>
    /// <param name="record">A record with the 12 standard leads (any order, any spelling, any sampling rate).</param>
    /// <param name="seed">Seed for the augmentation; ignored when there is none. The same seed gives the same pixels.</param>
    /// <returns>The image with its lead bounding boxes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">The record lacks a lead the layout needs; the message lists the leads it has.</exception>
    public PaperEcgImage Render(EcgRecord record, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(record);
        PaperEcgImage clean = RenderClean(record);
        return _augmenter is null ? clean : _augmenter.Augment(clean, seed);
    }

    private PaperEcgImage RenderClean(EcgRecord record)
    {
        var plan = _plan;
        var o = Options;
        int[] leadIndex = new int[plan.Segments.Count];
        for (int i = 0; i < leadIndex.Length; i++)
        {
            leadIndex[i] = record.IndexOfLead(plan.Segments[i].Lead);
        }

        float k = (float)plan.PixelsPerMm;
        byte[] template = _template.Value;
        byte[] pixels = GC.AllocateUninitializedArray<byte>(template.Length);
        template.CopyTo(pixels, 0);
        var boxes = new List<LeadBoundingBox>(plan.Segments.Count);
        WithCanvas(pixels, canvas =>
        {
            using SKPaint trace = TracePaint(k);
            for (int i = 0; i < plan.Segments.Count; i++)
            {
                PlotSegment s = plan.Segments[i];
                LeadBoundingBox? box = DrawSegment(canvas, plan, s, record.GetLead(leadIndex[i]), record.SamplingRate, trace, k);
                if (box is not null)
                {
                    boxes.Add(box);
                }
            }

            if (o.ShowHeader)
            {
                using SKFont font = LabelFont(k);
                using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true, Style = SKPaintStyle.Fill };
                string header = o.HeaderText ?? BuildHeader(record, o);
                canvas.DrawText(header, (float)(plan.CalibrationStartX * k), (float)(plan.HeaderBaselineY * k), SKTextAlign.Left, font, ink);
            }
        });

        return new PaperEcgImage(pixels, plan.WidthPixels, plan.HeightPixels, o.Dpi, boxes);
    }

    /// <summary>Everything that does not depend on the record (paper, grid, calibration pulses, separators, lead labels), drawn once per renderer.</summary>
    private byte[] DrawTemplate()
    {
        var plan = _plan;
        var o = Options;
        float k = (float)plan.PixelsPerMm;
        var colors = GridPalette.For(o.GridColors);
        byte[] pixels = new byte[plan.WidthPixels * plan.HeightPixels * 4]; // ≤ 200 MP, validated
        WithCanvas(pixels, canvas =>
        {
            canvas.Clear(colors.Background);
            DrawGrid(canvas, plan, colors, k);
            using SKPaint trace = TracePaint(k);
            if (o.ShowCalibrationPulse)
            {
                DrawCalibrationPulses(canvas, plan, trace, k);
            }

            if (o.ShowLeadSeparators)
            {
                DrawSeparators(canvas, plan, trace, k);
            }

            if (o.ShowLeadLabels)
            {
                DrawLabels(canvas, plan, k);
            }
        });

        return pixels;
    }

    private unsafe void WithCanvas(byte[] pixels, Action<SKCanvas> draw)
    {
        var info = new SKImageInfo(_plan.WidthPixels, _plan.HeightPixels, SKColorType.Rgba8888, SKAlphaType.Premul);
        fixed (byte* p = pixels)
        {
            using var surface = SKSurface.Create(info, (IntPtr)p, info.RowBytes)
                ?? throw new InvalidOperationException($"Skia could not create a {info.Width}×{info.Height} raster surface.");
            draw(surface.Canvas);
            surface.Canvas.Flush();
        }
    }

    private SKPaint TracePaint(float k) => new()
    {
        Color = SKColors.Black,
        IsAntialias = true,
        Style = SKPaintStyle.Stroke,
        StrokeWidth = Math.Max(1.5f, (float)(Options.TraceWidthMillimeters * k)), // ≥ 1.5 px: a fully dark core pixel at any DPI
        StrokeJoin = SKStrokeJoin.Round,
        StrokeCap = SKStrokeCap.Round,
    };

    private SKFont LabelFont(float k) => new(EmbeddedFont.DejaVuSans, (float)(Options.LabelSizeMillimeters * k))
    {
        Edging = SKFontEdging.Antialias,
        Hinting = SKFontHinting.None,
        Subpixel = false,
        LinearMetrics = true,
    };

    private static void DrawGrid(SKCanvas canvas, PaperEcgLayoutPlan plan, GridPalette colors, float k)
    {
        var o = plan.Options;
        (double ax, double ay) = plan.GridAnchor;
        double w = o.Paper.WidthMillimeters;
        double h = o.Paper.HeightMillimeters;
        using var minor = new SKPath();
        using var major = new SKPath();
        int firstX = -(int)Math.Floor(ax);
        int lastX = (int)Math.Floor(w - ax);
        for (int i = firstX; i <= lastX; i++)
        {
            float x = (float)((ax + i) * k);
            SKPath p = i % 5 == 0 ? major : minor;
            p.MoveTo(x, 0);
            p.LineTo(x, (float)(h * k));
        }

        int firstY = -(int)Math.Floor(ay);
        int lastY = (int)Math.Floor(h - ay);
        for (int i = firstY; i <= lastY; i++)
        {
            float y = (float)((ay + i) * k);
            SKPath p = i % 5 == 0 ? major : minor;
            p.MoveTo(0, y);
            p.LineTo((float)(w * k), y);
        }

        // Widths in mm, with pixel floors so the grid stays visible at low DPI.
        using var minorPaint = new SKPaint { Color = colors.Minor, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = Math.Max(0.6f, 0.08f * k) };
        using var majorPaint = new SKPaint { Color = colors.Major, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = Math.Max(1f, 0.16f * k) };
        if (k >= MinPixelsPerMmForMinorGrid)
        {
            // Below ~64 DPI 1-mm lines are under 2.5 px apart and would turn the paper a solid tint; only the 5-mm grid is drawn.
            canvas.DrawPath(minor, minorPaint);
        }

        canvas.DrawPath(major, majorPaint);
    }

    private static void DrawCalibrationPulses(SKCanvas canvas, PaperEcgLayoutPlan plan, SKPaint paint, float k)
    {
        double gain = plan.Options.GainMillimetersPerMillivolt;
        using var path = new SKPath();
        for (int r = 0; r < plan.RowCount; r++)
        {
            double b = plan.Baselines[r];
            double x0 = plan.CalibrationStartX;
            double rise = x0 + PaperEcgLayoutPlan.CalibrationLeadInMm;
            double fall = rise + plan.CalibrationWidthMm;
            path.MoveTo((float)(x0 * k), (float)(b * k));
            path.LineTo((float)(rise * k), (float)(b * k));
            path.LineTo((float)(rise * k), (float)((b - gain) * k));
            path.LineTo((float)(fall * k), (float)((b - gain) * k));
            path.LineTo((float)(fall * k), (float)(b * k));
            path.LineTo((float)(plan.TraceOriginX * k), (float)(b * k));
        }

        canvas.DrawPath(path, paint);
    }

    private static LeadBoundingBox? DrawSegment(SKCanvas canvas, PaperEcgLayoutPlan plan, PlotSegment s, ReadOnlySpan<float> lead, double rate, SKPaint paint, float k)
    {
        // Samples whose time lies in [start, end]: both ends are drawn so neighbouring columns meet at the boundary.
        int first = (int)Math.Ceiling(s.StartSeconds * rate - 1e-9);
        int last = Math.Min(lead.Length - 1, (int)Math.Floor(s.EndSeconds * rate + 1e-9));
        if (first > last)
        {
            return null;
        }

        double speed = plan.Options.SpeedMillimetersPerSecond;
        double gain = plan.Options.GainMillimetersPerMillivolt;
        double baseline = plan.Baselines[s.Row];
        double x0 = plan.TraceOriginX;
        using var path = new SKPath();
        bool penDown = false;
        float minX = float.MaxValue, maxX = float.MinValue, minY = float.MaxValue, maxY = float.MinValue;
        for (int j = first; j <= last; j++)
        {
            float v = lead[j];
            if (!float.IsFinite(v))
            {
                penDown = false;
                continue;
            }

            float x = (float)((x0 + j / rate * speed) * k);
            float y = (float)((baseline - v * gain) * k);
            if (penDown)
            {
                path.LineTo(x, y);
            }
            else
            {
                path.MoveTo(x, y);
                penDown = true;
            }

            minX = Math.Min(minX, x);
            maxX = Math.Max(maxX, x);
            minY = Math.Min(minY, y);
            maxY = Math.Max(maxY, y);
        }

        if (minX > maxX)
        {
            return null;
        }

        canvas.DrawPath(path, paint);
        float half = paint.StrokeWidth / 2;
        int bx = (int)Math.Floor(minX - half);
        int by = (int)Math.Floor(minY - half);
        int bx2 = (int)Math.Ceiling(maxX + half);
        int by2 = (int)Math.Ceiling(maxY + half);
        bx = Math.Clamp(bx, 0, plan.WidthPixels - 1);
        by = Math.Clamp(by, 0, plan.HeightPixels - 1);
        bx2 = Math.Clamp(bx2, bx + 1, plan.WidthPixels);
        by2 = Math.Clamp(by2, by + 1, plan.HeightPixels);
        return new LeadBoundingBox(s.Lead, bx, by, bx2 - bx, by2 - by, s.IsRhythmStrip);
    }

    private static void DrawSeparators(SKCanvas canvas, PaperEcgLayoutPlan plan, SKPaint paint, float k)
    {
        using var path = new SKPath();
        foreach (PlotSegment s in plan.Segments)
        {
            if (s.Column == 0 || s.IsRhythmStrip)
            {
                continue;
            }

            double x = plan.XForTime(s.StartSeconds);
            double b = plan.Baselines[s.Row];
            path.MoveTo((float)(x * k), (float)((b - 2.5) * k));
            path.LineTo((float)(x * k), (float)((b + 2.5) * k));
        }

        canvas.DrawPath(path, paint);
    }

    private void DrawLabels(SKCanvas canvas, PaperEcgLayoutPlan plan, float k)
    {
        using SKFont font = LabelFont(k);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true, Style = SKPaintStyle.Fill };
        foreach (PlotSegment s in plan.Segments)
        {
            // Top-left of the cell, clear of the calibration pulse and, for most beats, of the trace.
            double x = plan.XForTime(s.StartSeconds) + 1.2;
            double y = plan.Baselines[s.Row] - plan.RowPitchMm * 0.6 + Options.LabelSizeMillimeters + 0.8;
            canvas.DrawText(s.Lead, (float)(x * k), (float)(y * k), SKTextAlign.Left, font, ink);
        }
    }

    /// <summary>The default header: id, age, sex, speed, gain and sampling rate.</summary>
    internal static string BuildHeader(EcgRecord record, PaperEcgRenderOptions o)
    {
        var ci = CultureInfo.InvariantCulture;
        EcgMetadata md = record.Metadata;
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(md.Id))
        {
            parts.Add("ID: " + md.Id.Trim());
        }

        if (md.Age is double age)
        {
            parts.Add(string.Create(ci, $"Age: {age:0}"));
        }

        if (md.Sex != Sex.Unknown)
        {
            parts.Add("Sex: " + (md.Sex == Sex.Male ? "M" : "F"));
        }

        parts.Add(string.Create(ci, $"{o.SpeedMillimetersPerSecond:0.##} mm/s"));
        parts.Add(string.Create(ci, $"{o.GainMillimetersPerMillivolt:0.##} mm/mV"));
        parts.Add(string.Create(ci, $"{record.SamplingRate:0.##} Hz"));
        return string.Join("    ", parts);
    }

    private static void Validate(PaperEcgRenderOptions o)
    {
        ArgumentNullException.ThrowIfNull(o.Paper, "options.Paper");
        RequireRange(o.Paper.WidthMillimeters, 20, 2000, "Paper.WidthMillimeters");
        RequireRange(o.Paper.HeightMillimeters, 20, 2000, "Paper.HeightMillimeters");
        RequireRange(o.Dpi, 50, 1200, nameof(o.Dpi));
        RequireRange(o.SpeedMillimetersPerSecond, 5, 200, nameof(o.SpeedMillimetersPerSecond));
        RequireRange(o.GainMillimetersPerMillivolt, 1, 100, nameof(o.GainMillimetersPerMillivolt));
        RequireRange(o.TraceWidthMillimeters, 0.01, 5, nameof(o.TraceWidthMillimeters));
        RequireRange(o.LabelSizeMillimeters, 0.5, 20, nameof(o.LabelSizeMillimeters));
        if (!Enum.IsDefined(o.Layout))
        {
            throw new NotSupportedException($"Layout value {(int)o.Layout} is not a defined {nameof(PaperEcgLayout)}.");
        }

        if (!Enum.IsDefined(o.GridColors))
        {
            throw new NotSupportedException($"GridColors value {(int)o.GridColors} is not a defined {nameof(GridColorScheme)}.");
        }

        if (o.ShowRhythmStrip && o.Layout != PaperEcgLayout.TwelveByOne && !StandardLeads.TryGetStandardIndex(o.RhythmLead, out _))
        {
            throw new ArgumentException($"RhythmLead must be one of the 12 standard leads (got '{o.RhythmLead}').", "options");
        }

        long pixels = (long)Math.Round(o.Paper.WidthMillimeters * o.Dpi / 25.4) * (long)Math.Round(o.Paper.HeightMillimeters * o.Dpi / 25.4);
        if (pixels > 200_000_000)
        {
            throw new ArgumentOutOfRangeException("options", pixels, $"Paper size × DPI must give at most 200 megapixels (got {pixels}).");
        }
    }

    private static void RequireRange(double value, double min, double max, string name)
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            throw new ArgumentOutOfRangeException("options", value, string.Create(CultureInfo.InvariantCulture, $"{name} must be between {min} and {max} (got {value})."));
        }
    }

    private sealed record GridPalette(SKColor Background, SKColor Minor, SKColor Major)
    {
        public static GridPalette For(GridColorScheme scheme) => scheme switch
        {
            GridColorScheme.Red => new(new SKColor(255, 255, 255), new SKColor(248, 190, 190), new SKColor(228, 90, 90)),
            GridColorScheme.Pink => new(new SKColor(255, 247, 249), new SKColor(250, 205, 218), new SKColor(238, 140, 170)),
            GridColorScheme.Blue => new(new SKColor(255, 255, 255), new SKColor(200, 216, 245), new SKColor(95, 135, 215)),
            GridColorScheme.Green => new(new SKColor(255, 255, 255), new SKColor(196, 232, 204), new SKColor(75, 165, 105)),
            GridColorScheme.Brown => new(new SKColor(255, 251, 240), new SKColor(232, 210, 188), new SKColor(175, 120, 80)),
            GridColorScheme.BlackAndWhite => new(new SKColor(255, 255, 255), new SKColor(215, 215, 215), new SKColor(140, 140, 140)),
            _ => throw new NotSupportedException($"GridColors value {(int)scheme} is not supported."),
        };
    }
}
