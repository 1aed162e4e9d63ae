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
/// strongest long ink bands, track the trace column by column (the ink run nearest the previous position, pulled weakly towards the row),
/// take each row's 0 mV line as a straight line through its modal trace height, and resample to the output rate.</para>
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
        for (int r = 0; r < rowCount; r++)
        {
            tracks[r] = page.TrackRow(rows[r], (int)Math.Round(0.8 * pitch), 0.15);
        }

        double stroke = Median(tracks.SelectMany(t => t.RunLengths()).Select(v => (double)v).DefaultIfEmpty(2));

        // Horizontal extent: the rhythm strip if there is one (it always spans the full duration), else the median over rows.
        var extents = tracks.Select(t => t.Extent((int)Math.Ceiling(2 * provisionalK))).ToArray();
        int xs = _rhythmLead is null ? (int)Median(extents.Select(e => (double)e.Start)) : extents[^1].Start;
        int xe = _rhythmLead is null ? (int)Median(extents.Select(e => (double)e.End)) : extents[^1].End;
        double rate = Options.SamplingRate, duration = Options.DurationSeconds, speed = Options.SpeedMillimetersPerSecond;
        double lastSampleSeconds = duration - (1 / rate);
        double left = xs + (stroke / 2), right = xe + 1 - (stroke / 2);
        if (right - left < 0.3 * width)
        {
            throw new EcgFormatException(
                string.Create(CultureInfo.InvariantCulture, $"The trace rows span only {right - left:0} of {width} px; expected traces across most of the page width ({LayoutName()})."),
                source,
                "trace extent");
        }

        double pxPerSecond;
        double x0;
        if (!gridFound)
        {
            pxPerSecond = (right - left) / lastSampleSeconds;
            kx = ky = pxPerSecond / speed;
            x0 = left;
        }
        else
        {
            pxPerSecond = kx * speed;
            double expected = lastSampleSeconds * pxPerSecond;
            double span = right - left;
            if (span > expected * 1.02)
            {
                // Something printed in front of the traces (a calibration pulse): anchor the time axis at the right end.
                x0 = right - expected;
                if (span > expected * 1.15)
                {
                    warnings.Add(string.Create(CultureInfo.InvariantCulture, $"The trace rows span {span / kx:0.#} mm, more than {duration:0.##} s at {speed:0.##} mm/s ({expected / kx:0.#} mm) plus a calibration pulse; check SpeedMillimetersPerSecond."));
                }
            }
            else
            {
                x0 = left;
                if (span < expected * 0.95)
                {
                    warnings.Add(string.Create(CultureInfo.InvariantCulture, $"The trace rows span only {span / kx:0.#} mm, less than {duration:0.##} s at {speed:0.##} mm/s ({expected / kx:0.#} mm); the end of the record may be missing or the speed differ."));
                }
            }
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
            if (!rhythmRow)
            {
                for (int c = 1; c < columnCount; c++)
                {
                    track.MaskSeparator(x0 + (c * duration / columnCount * pxPerSecond), stroke + 1);
                }
            }

            (double a, double b) = track.FitBaseline(x0, x0 + (lastSampleSeconds * pxPerSecond), stroke);
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
                int index = StandardLeads.TwelveLead.ToList().IndexOf(lead);
                Span<float> y = data.AsSpan((index * n) + start, end - start);
                int found = 0;
                for (int i = 0; i < y.Length; i++)
                {
                    double x = x0 + ((start + i) / rate * pxPerSecond);
                    double v = track.ValueAt(x);
                    if (!double.IsNaN(v))
                    {
                        found++;
                        y[i] = (float)((a + (b * x) - v) * mvPerPixel);
                    }
                }

                expectedColumns += y.Length;
                foundColumns += found;
                if (found < y.Length / 2)
                {
                    throw new EcgFormatException(
                        string.Create(CultureInfo.InvariantCulture, $"Lead {lead}: a trace was found in only {found} of {y.Length} sample positions of row {r + 1}; expected a continuous trace ({LayoutName()})."),
                        source,
                        "trace " + lead);
                }

                if (found < y.Length * 0.95)
                {
                    warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Lead {lead}: {y.Length - found} of {y.Length} samples had no trace and were interpolated."));
                }

                FillGaps(y);
                windows.Add(new DigitizedLeadWindow(lead, start, end));
            }
        }

        windows.Sort((p, q) => StandardLeads.TwelveLead.ToList().IndexOf(p.Lead).CompareTo(StandardLeads.TwelveLead.ToList().IndexOf(q.Lead)));
        double confidence = expectedColumns == 0 ? 0 : (double)foundColumns / expectedColumns * (gridFound ? 1 : 0.8);
        var record = new EcgRecord(data, rate, StandardLeads.TwelveLead, new EcgMetadata { Source = "digitized:" + source });
        return new PaperEcgDigitization(record, windows, angle, (kx + ky) / 2, Math.Clamp(confidence, 0, 1), warnings);
    }

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
