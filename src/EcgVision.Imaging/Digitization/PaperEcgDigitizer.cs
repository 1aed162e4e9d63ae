using System.Globalization;
using EcgVision.Imaging.Io;
using EcgVision.Imaging.Rendering;
using EcgVision.Signals;

namespace EcgVision.Imaging.Digitization;

/// <summary>Reads a photo, scan or rendering of a printed 12-lead ECG back into a signal (paper-ECG digitisation).</summary>
/// <remarks>
/// <para>Classic image processing, no learning (method in docs/digitization.md): divide out the large-scale background (lighting),
/// mark ink (dark in every channel) and grid (dark in some channel), estimate the skew by maximising the variance of the sheared row
/// projection of the grid, undo it, measure pixels per millimetre from the grid period (autocorrelation), find the trace rows as the
/// strongest long ink bands, track the trace through the ink runs of every pixel column (dynamic programming: smallest vertical gaps,
/// weak pull towards the row), take each row's 0 mV line as a straight line through its modal trace height, and resample to the
/// output rate.</para>
/// <para>The time axis starts at the left end of the traces; when a row is longer than the page duration at the given speed (a calibration
/// pulse in front of it), the right end anchors it instead. When the rhythm lead also has its own grid cell, the lead takes the rhythm
/// strip over the whole duration: it is the longer, uninterrupted copy of the same signal.</para>
/// <para>After the PhysioNet/CinC Challenge 2024 digitisation task (Reyna et al. 2024) and ECG-Image-Kit (Shivashankara et al. 2024).
/// The class is immutable and thread-safe.</para>
/// </remarks>
public sealed class PaperEcgDigitizer
{

    private static readonly string[][] s_threeByFour = [["I", "II", "III"], ["aVR", "aVL", "aVF"], ["V1", "V2", "V3"], ["V4", "V5", "V6"]];
    private static readonly string[][] s_sixByTwo = [["I", "II", "III", "aVR", "aVL", "aVF"], ["V1", "V2", "V3", "V4", "V5", "V6"]];
    private static readonly string[][] s_twelveByOne = [["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]];

    private readonly string[][] _columns;
    private readonly string? _rhythmLead;

    /// <summary>Creates a digitiser, validating the options once.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults (3×4 + lead II rhythm strip, 25 mm/s, 10 mm/mV, 10 s, 100 Hz).</param>
    /// <exception cref="ArgumentOutOfRangeException">A numeric option is outside its documented range; the parameter name names the property.</exception>
    /// <exception cref="ArgumentException">The rhythm lead is not a standard lead.</exception>
    /// <exception cref="NotSupportedException">The layout is not a defined <see cref="PaperEcgLayout"/>.</exception>
    public PaperEcgDigitizer(PaperEcgDigitizerOptions? options = null)
    {
        options ??= new PaperEcgDigitizerOptions();
        Require(options.SpeedMillimetersPerSecond, 5, 200, nameof(options.SpeedMillimetersPerSecond));
        Require(options.GainMillimetersPerMillivolt, 1, 100, nameof(options.GainMillimetersPerMillivolt));
        Require(options.SamplingRate, 10, 2000, nameof(options.SamplingRate));
        Require(options.DurationSeconds, 1, 60, nameof(options.DurationSeconds));
        Require(options.MaxRotationDegrees, 0, 15, nameof(options.MaxRotationDegrees));
        _columns = options.Layout switch
        {
            PaperEcgLayout.ThreeByFour => s_threeByFour,
            PaperEcgLayout.SixByTwo => s_sixByTwo,
            PaperEcgLayout.TwelveByOne => s_twelveByOne,
            _ => throw new NotSupportedException($"Layout value {(int)options.Layout} is not a defined {nameof(PaperEcgLayout)}."),
        };
        if (options.HasRhythmStrip && options.Layout != PaperEcgLayout.TwelveByOne)
        {
            if (!StandardLeads.TryGetStandardIndex(options.RhythmLead, out int index))
            {
                throw new ArgumentException($"RhythmLead must be one of the 12 standard leads (got '{options.RhythmLead}').", "options.RhythmLead");
            }

            _rhythmLead = StandardLeads.TwelveLead[index];
        }

        Options = options;
    }

    /// <summary>The validated options.</summary>
    public PaperEcgDigitizerOptions Options { get; }

    /// <summary>Digitises a PNG or JPEG file.</summary>
    /// <param name="path">The image; decoded behind the limits of <see cref="PaperEcgDigitizerOptions.LoadOptions"/>.</param>
    /// <returns>The recovered record and how it was read.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="EcgFormatException">The file is not a readable PNG/JPEG, or no paper ECG of the expected layout was found in it; the message names the file.</exception>
    public PaperEcgDigitization Digitize(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        NativeRgbImage image = EcgImageLoader.LoadNativeRgb(path, Options.LoadOptions);
        return Run(image.Data, 3, image.Width, image.Height, path);
    }

    /// <summary>Digitises a PNG or JPEG image read from a stream (to its end; the stream is left open).</summary>
    /// <param name="image">The encoded image.</param>
    /// <param name="sourceName">A name for messages and <see cref="EcgMetadata.Source"/>; default <c>&lt;stream&gt;</c>.</param>
    /// <returns>The recovered record and how it was read.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="image"/> is <see langword="null"/>.</exception>
    /// <exception cref="EcgFormatException">The data is not a readable PNG/JPEG, or no paper ECG of the expected layout was found in it.</exception>
    public PaperEcgDigitization Digitize(Stream image, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        string name = sourceName ?? "<stream>";
        NativeRgbImage rgb = EcgImageLoader.LoadNativeRgb(image, Options.LoadOptions, name);
        return Run(rgb.Data, 3, rgb.Width, rgb.Height, name);
    }

    /// <summary>Digitises a rendered (possibly augmented) page directly, without an encode/decode round trip.</summary>
    /// <param name="image">The page.</param>
    /// <returns>The recovered record and how it was read.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="image"/> is <see langword="null"/>.</exception>
    /// <exception cref="EcgFormatException">No paper ECG of the expected layout was found on the page.</exception>
    public PaperEcgDigitization Digitize(PaperEcgImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Run(image.Pixels, 4, image.Width, image.Height, "<rendered page>");
    }

    private PaperEcgDigitization Run(ReadOnlySpan<byte> pixels, int channels, int width, int height, string source)
    {
        var warnings = new List<string>();
        var page = DigitizerPage.Create(pixels, channels, width, height, source);
        double angle = page.EstimateSkew(Options.MaxRotationDegrees);
        page.Deskew(angle);
        page.CheckInkAmount();
        (double kx, double ky, bool gridFound) = page.EstimateScale();
        if (!gridFound)
        {
            warnings.Add("No periodic grid found; the scale comes from the trace extent and the paper speed.");
        }

        int gridRows = _columns[0].Length;
        int rowCount = gridRows + (_rhythmLead is null ? 0 : 1);
        double provisionalK = gridFound ? (kx + ky) / 2 : width / (Options.DurationSeconds * Options.SpeedMillimetersPerSecond * 1.1);
        int[] rows = page.FindRows(rowCount, provisionalK, LayoutName());
        var tracks = new RowTrack[rowCount];
        double pitch = rowCount > 1 ? Median(Enumerable.Range(1, rowCount - 1).Select(i => (double)(rows[i] - rows[i - 1]))) : height * 0.4;
        double provisionalStroke = Math.Max(1.5, 0.25 * provisionalK);
        for (int r = 0; r < rowCount; r++)
        {
            tracks[r] = page.TrackRow(rows[r], (int)Math.Round(0.8 * pitch), provisionalStroke);
        }

        // Stroke width: the mean height of the runs on flat stretches (at most 1.5× the median run), which antialiasing makes unbiased.
        double[] runs = tracks.SelectMany(t => t.RunLengths()).Select(v => (double)v).DefaultIfEmpty(2).ToArray();
        double medianRun = Median(runs);
        double stroke = runs.Where(v => v <= 1.5 * medianRun).Average();
        double trueStroke = page.StrokeWidth(tracks, stroke);

        // Time axis, per row (perspective gives each row its own, varying scale): millimetres of paper along the row from the local grid
        // scale k(x) = A + B·x, anchored at the row's left trace end, or at its right end when the row is longer than the duration at the
        // paper speed (a calibration pulse in front of it). Without a pulse both ends are known and pin the axis to the traced extent.
        double rate = Options.SamplingRate, duration = Options.DurationSeconds, speed = Options.SpeedMillimetersPerSecond;
        double lastSampleSeconds = duration - (1 / rate);
        var axes = new RowTimeAxis[rowCount];
        var extents = new (double Left, double Right, RowScale Scale)[rowCount];
        int pulses = 0;
        for (int r = 0; r < rowCount; r++)
        {
            (int xs, int xe) = tracks[r].Extent((int)Math.Ceiling(2 * provisionalK));
            double left = page.RefineEnd(tracks[r], xs, -1, stroke) + (trueStroke / 2), right = page.RefineEnd(tracks[r], xe, 1, stroke) - (trueStroke / 2);
            if (right - left < 0.3 * width)
            {
                throw new EcgFormatException(
                    string.Create(CultureInfo.InvariantCulture, $"Trace row {r + 1} spans only {right - left:0} of {width} px; expected traces across most of the page width ({LayoutName()})."),
                    source,
                    "trace extent");
            }

            int band = (int)(pitch / 3);
            RowScale scale = !gridFound
                ? new RowScale((right - left) / (lastSampleSeconds * speed), 0)
                : page.LocalHorizontalScale(rows[r] - band, rows[r] + band, kx) is (double a, double b) ? new RowScale(a, b) : new RowScale(kx, 0);
            extents[r] = (left, right, scale);
            if (gridFound && scale.Millimeters(left, right) > lastSampleSeconds * speed * 1.02)
            {
                pulses++;
            }
        }

        bool pulse = pulses * 2 > rowCount;
        for (int r = 0; r < rowCount; r++)
        {
            (double left, double right, RowScale scale) = extents[r];
            double spanMm = scale.Millimeters(left, right), expectedMm = lastSampleSeconds * speed;
            if (pulse)
            {
                axes[r] = new RowTimeAxis(scale, scale.Millimeters(0, right) - expectedMm, speed);
            }
            else if (spanMm >= expectedMm * 0.97)
            {
                axes[r] = new RowTimeAxis(scale, scale.Millimeters(0, left), spanMm / lastSampleSeconds);
            }
            else
            {
                axes[r] = new RowTimeAxis(scale, scale.Millimeters(0, left), speed);
            }

            if (gridFound && (spanMm > expectedMm * 1.15 || spanMm < expectedMm * 0.95))
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Trace row {r + 1} spans {spanMm:0.#} mm; {duration:0.##} s at {speed:0.##} mm/s is {expectedMm:0.#} mm (plus a calibration pulse, if printed): check SpeedMillimetersPerSecond and DurationSeconds."));
            }
        }

        if (!gridFound)
        {
            kx = ky = Median(extents.Select(e => e.Scale.A));
        }

        int n = (int)Math.Round(duration * rate);
        var data = new float[12 * n];
        data.AsSpan().Fill(float.NaN);
        var windows = new List<DigitizedLeadWindow>(12);
        long expectedColumns = 0, foundColumns = 0;
        double mvPerPixel = 1 / (ky * Options.GainMillimetersPerMillivolt);
        int columnCount = _columns.Length;
        for (int r = 0; r < rowCount; r++)
        {
            bool rhythmRow = _rhythmLead is not null && r == rowCount - 1;
            RowTrack track = tracks[r];
            RowTimeAxis axis = axes[r];
            (double a, double b) = track.FitBaseline(axis.X(0), axis.X(lastSampleSeconds), stroke);
            (double slantC, double slantD) = gridFound ? page.VerticalSlant(rows[r] - (int)(pitch / 2), rows[r] + (int)(pitch / 2)) : (0, 0);
            if (!rhythmRow)
            {
                // Separator ticks (PaperEcgRenderer: ±2.5 mm across the baseline at each column boundary).
                for (int c = 1; c < columnCount; c++)
                {
                    double xb = axis.X(c * duration / columnCount);
                    track.MaskSeparator(xb, (2 * stroke) + 2, a + (b * xb), 1.5 * ky);
                }
            }

            int segments = rhythmRow ? 1 : columnCount;
            for (int c = 0; c < segments; c++)
            {
                string lead = rhythmRow ? _rhythmLead! : _columns[c][r];
                if (!rhythmRow && lead == _rhythmLead)
                {
                    continue;
                }

                int start = rhythmRow ? 0 : (int)Math.Round(c * duration / columnCount * rate);
                int end = rhythmRow ? n : Math.Min(n, (int)Math.Round((c + 1) * duration / columnCount * rate));
                StandardLeads.TryGetStandardIndex(lead, out int index);
                Span<float> y = data.AsSpan((index * n) + start, end - start);
                // At a column boundary both neighbouring leads have a point in the same pixel column: the sample right at the
                // boundary is taken from inside the window (gap-filled from its neighbour) rather than from the previous lead's end.
                double guard = stroke + 1;
                double windowStart = rhythmRow || c == 0 ? double.NegativeInfinity : axis.X(c * duration / columnCount) + guard;
                double windowEnd = rhythmRow || c == columnCount - 1 ? double.PositiveInfinity : axis.X((c + 1) * duration / columnCount) - guard;
                int found = 0, guarded = 0;
                for (int i = 0; i < y.Length; i++)
                {
                    double x = axis.X((start + i) / rate);
                    if (x < windowStart || x > windowEnd)
                    {
                        guarded++;
                        continue;
                    }

                    // Perspective slants the paper's vertical lines: the trace point of this time is printed slant × (its height
                    // above the baseline) to the side; a few fixed-point steps find it (the map contracts while slant × trace slope < 1).
                    double v = track.ValueAt(x), slant = slantC + (slantD * x);
                    if (Math.Abs(slant) > 1e-3)
                    {
                        for (int step = 0; step < 3 && !double.IsNaN(v); step++)
                        {
                            double shifted = track.ValueAt(x + (slant * (v - (a + (b * x)))));
                            if (double.IsNaN(shifted))
                            {
                                break;
                            }

                            v = shifted;
                        }
                    }

                    if (!double.IsNaN(v))
                    {
                        found++;
                        y[i] = (float)((a + (b * x) - v) * mvPerPixel);
                    }
                }

                expectedColumns += y.Length - guarded;
                foundColumns += found;
                if (found < (y.Length - guarded) / 2)
                {
                    throw new EcgFormatException(
                        string.Create(CultureInfo.InvariantCulture, $"Lead {lead}: a trace was found in only {found} of {y.Length} sample positions of row {r + 1}; expected a continuous trace ({LayoutName()})."),
                        source,
                        "trace " + lead);
                }

                if (found < (y.Length - guarded) * 0.95)
                {
                    warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Lead {lead}: {y.Length - guarded - found} of {y.Length} samples had no trace and were interpolated."));
                }

                FillGaps(y);
                windows.Add(new DigitizedLeadWindow(lead, start, end));
            }
        }

        windows.Sort((p, q) => LeadIndex(p.Lead).CompareTo(LeadIndex(q.Lead)));
        double confidence = expectedColumns == 0 ? 0 : (double)foundColumns / expectedColumns * (gridFound ? 1 : 0.8);
        var record = new EcgRecord(data, rate, StandardLeads.TwelveLead, new EcgMetadata { Source = "digitized:" + source });
        return new PaperEcgDigitization(record, windows, angle, (kx + ky) / 2, Math.Clamp(confidence, 0, 1), warnings);
    }

    private static int LeadIndex(string lead) => StandardLeads.TryGetStandardIndex(lead, out int index) ? index : int.MaxValue;

    private string LayoutName() => Options.Layout switch
    {
        PaperEcgLayout.ThreeByFour => "3×4",
        PaperEcgLayout.SixByTwo => "6×2",
        _ => "12×1",
    } + (_rhythmLead is null ? string.Empty : " + rhythm strip");

    private static void FillGaps(Span<float> y)
    {
        int last = -1;
        for (int i = 0; i < y.Length; i++)
        {
            if (float.IsNaN(y[i]))
            {
                continue;
            }

            if (i - last > 1)
            {
                float from = last < 0 ? y[i] : y[last];
                for (int j = last + 1; j < i; j++)
                {
                    y[j] = last < 0 ? from : from + ((y[i] - from) * (j - last) / (i - last));
                }
            }

            last = i;
        }

        for (int j = last + 1; j < y.Length && last >= 0; j++)
        {
            y[j] = y[last];
        }
    }

    internal static double Median(IEnumerable<double> values)
    {
        double[] a = values.ToArray();
        if (a.Length == 0)
        {
            return double.NaN;
        }

        Array.Sort(a);
        return a.Length % 2 == 1 ? a[a.Length / 2] : (a[(a.Length / 2) - 1] + a[a.Length / 2]) / 2;
    }

    private static void Require(double value, double min, double max, string name)
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            throw new ArgumentOutOfRangeException("options." + name, value, string.Create(CultureInfo.InvariantCulture, $"{name} must be between {min} and {max} (got {value})."));
        }
    }
}

/// <summary>A row's horizontal scale k(x) = A + B·x pixels per millimetre of paper.</summary>
internal readonly record struct RowScale(double A, double B)
{
    /// <summary>Millimetres of paper between pixel positions <paramref name="from"/> and <paramref name="to"/>: ∫ dx / k(x).</summary>
    public double Millimeters(double from, double to) =>
        Math.Abs(B) < 1e-12 ? (to - from) / A : Math.Log((A + (B * to)) / (A + (B * from))) / B;

    /// <summary>The pixel position <paramref name="millimeters"/> of paper to the right of pixel 0.</summary>
    public double X(double millimeters) =>
        Math.Abs(B) < 1e-12 ? millimeters * A : ((A * Math.Exp(B * millimeters)) - A) / B;
}

/// <summary>Maps record time to a pixel column of one row: x(t) = scale.X(origin + t · speed).</summary>
internal readonly record struct RowTimeAxis(RowScale Scale, double OriginMillimeters, double MillimetersPerSecond)
{
    public double X(double seconds) => Scale.X(OriginMillimeters + (seconds * MillimetersPerSecond));
}
