using System.Globalization;
using EcgVision.Signals;

namespace EcgVision.Imaging.Digitization;

/// <summary>The working state of one digitisation: background-normalised ink and grid maps of the page, deskewed in place.</summary>
/// <remarks>
/// <c>ink</c> = 255·(1 − max(R, G, B) / background): high only where every channel is dark (the black trace, text), low on coloured or
/// grey grid lines. <c>line</c> = 255·(1 − min(R, G, B) / background): high on grid lines of any colour and on ink. The background is the
/// 90th percentile of max(R, G, B) in blocks of about 1/50 of the page, bilinearly interpolated, so uneven lighting and creases divide out.
/// </remarks>
internal sealed class DigitizerPage
{
    private const int DefaultInkThreshold = 128;
    private const int BorderLevel = 110;

    private readonly string _source;
    private byte[] _ink;
    private int _inkThreshold = DefaultInkThreshold;
    private byte[] _line;

    private DigitizerPage(byte[] ink, byte[] line, int width, int height, string source)
    {
        _ink = ink;
        _line = line;
        Width = width;
        Height = height;
        _source = source;
    }

    public int Width { get; }

    public int Height { get; }

    public static DigitizerPage Create(ReadOnlySpan<byte> pixels, int channels, int width, int height, string source)
    {
        if (width < 200 || height < 100)
        {
            throw new EcgFormatException(
                string.Create(CultureInfo.InvariantCulture, $"The image is {width}×{height} px; a paper ECG page must be at least 200×100 px to be digitised."),
                source,
                "dimensions");
        }

        int n = width * height;
        var max = new byte[n];
        var min = new byte[n];
        for (int i = 0, p = 0; i < n; i++, p += channels)
        {
            byte r = pixels[p], g = pixels[p + 1], b = pixels[p + 2];
            max[i] = Math.Max(r, Math.Max(g, b));
            min[i] = Math.Min(r, Math.Min(g, b));
        }

        RemoveBorder(max, min, width, height);
        // Background levels per block, bilinearly interpolated between block centres row by row (no full-size float map).
        (float[] level, int block, int bw, int bh) = BackgroundBlocks(max, width, height);
        var ink = new byte[n];
        var line = new byte[n];
        var background = new float[width];
        for (int y = 0; y < height; y++)
        {
            double fy = Math.Clamp(((y + 0.5) / block) - 0.5, 0, bh - 1);
            int by0 = (int)fy, by1 = Math.Min(bh - 1, by0 + 1);
            float ty = (float)(fy - by0);
            for (int x = 0; x < width; x++)
            {
                double fx = Math.Clamp(((x + 0.5) / block) - 0.5, 0, bw - 1);
                int bx0 = (int)fx, bx1 = Math.Min(bw - 1, bx0 + 1);
                float tx = (float)(fx - bx0);
                float top = level[(by0 * bw) + bx0] + ((level[(by0 * bw) + bx1] - level[(by0 * bw) + bx0]) * tx);
                float bottom = level[(by1 * bw) + bx0] + ((level[(by1 * bw) + bx1] - level[(by1 * bw) + bx0]) * tx);
                background[x] = top + ((bottom - top) * ty);
            }

            int row = y * width;
            for (int x = 0; x < width; x++)
            {
                int i = row + x;
                float inv = 255f / background[x];
                ink[i] = (byte)Math.Clamp(255 - (max[i] * inv), 0, 255);
                line[i] = (byte)Math.Clamp(255 - (min[i] * inv), 0, 255);
            }
        }

        var page = new DigitizerPage(ink, line, width, height, source);
        page._inkThreshold = AdaptiveInkThreshold(ink);
        return page;
    }

    /// <summary>The ink threshold: 128 for a sharp page; 60 % of the trace core level (the 99.7th percentile of ink) when blur or a
    /// dim photo leaves the trace fainter than that, but never below 64 (grid lines and noise stay under it).</summary>
    private static int AdaptiveInkThreshold(byte[] ink)
    {
        Span<long> histogram = stackalloc long[256];
        foreach (byte v in ink)
        {
            histogram[v]++;
        }

        long target = ink.Length * 3L / 1000, seen = 0;
        int level = 255;
        for (; level > 0; level--)
        {
            seen += histogram[level];
            if (seen > target)
            {
                break;
            }
        }

        return Math.Clamp((int)(level * 0.6), 64, DefaultInkThreshold);
    }

    /// <summary>Marks the dark, grey surround of a photographed page (connected to the image edge) as paper. Only thick dark
    /// regions count: the flood runs through pixels whose (2r+1)² box is ≥ 90 % dark (r ≈ 1/400 of the larger side, at least
    /// 3 px), and the removed region is then grown by r over dark pixels, so the surround goes up to its edge while a thin trace
    /// that runs off the page (a deep S wave of the bottom row, and every trace touching it) is kept. Dark pixels within r of the
    /// image edge (a thin frame) go too.</summary>
    private static void RemoveBorder(byte[] max, byte[] min, int w, int h)
    {
        int r = Math.Max(3, Math.Max(w, h) / 400);
        var dark = new bool[w * h];
        for (int i = 0; i < dark.Length; i++)
        {
            dark[i] = max[i] < BorderLevel && max[i] - min[i] < 40;
        }

        // Nothing dark within r of the image edge (a white-margined scan or rendering): no surround and no frame.
        bool edgeDark = false;
        for (int y = 0; y < h && !edgeDark; y++)
        {
            bool edgeRow = y < r || y >= h - r;
            for (int x = 0; x < w; x = edgeRow || x < r - 1 || x >= w - r ? x + 1 : w - r)
            {
                if (dark[(y * w) + x])
                {
                    edgeDark = true;
                    break;
                }
            }
        }

        if (!edgeDark)
        {
            return;
        }

        // Thick = ≥ 90 % of the box (clipped to the image) is dark.
        int[] integral = Integral(dark, w, h);
        var thick = new bool[w * h];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int i = (y * w) + x;
                if (dark[i])
                {
                    var (x0, y0, x1, y1) = (Math.Max(0, x - r), Math.Max(0, y - r), Math.Min(w - 1, x + r), Math.Min(h - 1, y + r));
                    thick[i] = BoxSum(integral, w, x0, y0, x1, y1) >= 0.9 * (x1 - x0 + 1) * (y1 - y0 + 1);
                }
            }
        }

        var stack = new Stack<int>();
        var flooded = new bool[w * h];
        void Push(int i)
        {
            if (!flooded[i] && thick[i])
            {
                flooded[i] = true;
                stack.Push(i);
            }
        }

        for (int x = 0; x < w; x++)
        {
            Push(x);
            Push(((h - 1) * w) + x);
        }

        for (int y = 0; y < h; y++)
        {
            Push(y * w);
            Push((y * w) + w - 1);
        }

        bool any = stack.Count > 0;
        while (stack.Count > 0)
        {
            int i = stack.Pop();
            int x = i % w, y = i / w;
            if (x > 0)
            {
                Push(i - 1);
            }

            if (x < w - 1)
            {
                Push(i + 1);
            }

            if (y > 0)
            {
                Push(i - w);
            }

            if (y < h - 1)
            {
                Push(i + w);
            }
        }

        // Grow the flooded (eroded) surround back by r over dark pixels; a thin frame within r of the image edge goes too.
        integral = any ? Integral(flooded, w, h) : [];
        for (int y = 0; y < h; y++)
        {
            bool edgeRow = y < r || y >= h - r;
            for (int x = 0; x < w; x++)
            {
                int i = (y * w) + x;
                if (dark[i] && (edgeRow || x < r || x >= w - r || (any && BoxSum(integral, w, Math.Max(0, x - r), Math.Max(0, y - r), Math.Min(w - 1, x + r), Math.Min(h - 1, y + r)) > 0)))
                {
                    max[i] = 255;
                    min[i] = 255;
                }
            }
        }
    }

    /// <summary>Summed-area table of a mask, (w + 1) × (h + 1) with a zero first row and column.</summary>
    private static int[] Integral(bool[] mask, int w, int h)
    {
        var s = new int[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++)
        {
            int run = 0;
            for (int x = 0; x < w; x++)
            {
                run += mask[(y * w) + x] ? 1 : 0;
                s[((y + 1) * (w + 1)) + x + 1] = s[(y * (w + 1)) + x + 1] + run;
            }
        }

        return s;
    }

    /// <summary>The count of set pixels in [x0, x1] × [y0, y1] (inclusive) from <see cref="Integral"/>.</summary>
    private static int BoxSum(int[] s, int w, int x0, int y0, int x1, int y1) =>
        s[((y1 + 1) * (w + 1)) + x1 + 1] - s[(y0 * (w + 1)) + x1 + 1] - s[((y1 + 1) * (w + 1)) + x0] + s[(y0 * (w + 1)) + x0];

    /// <summary>The 90th percentile of max(R, G, B) in square blocks of about 1/50 of the page (at least 16 px): the paper level.</summary>
    private static (float[] Level, int Block, int Columns, int Rows) BackgroundBlocks(byte[] max, int w, int h)
    {
        int block = Math.Max(16, Math.Min(w, h) / 50);
        int bw = (w + block - 1) / block, bh = (h + block - 1) / block;
        var level = new float[bw * bh];
        Span<int> histogram = stackalloc int[256];
        for (int by = 0; by < bh; by++)
        {
            for (int bx = 0; bx < bw; bx++)
            {
                histogram.Clear();
                int x1 = Math.Min(w, (bx + 1) * block), y1 = Math.Min(h, (by + 1) * block), count = 0;
                for (int y = by * block; y < y1; y++)
                {
                    for (int x = bx * block; x < x1; x++)
                    {
                        histogram[max[(y * w) + x]]++;
                        count++;
                    }
                }

                int target = count / 10, seen = 0, v = 255;
                for (; v > 0; v--)
                {
                    seen += histogram[v];
                    if (seen > target)
                    {
                        break;
                    }
                }

                level[(by * bw) + bx] = Math.Max(v, 40);
            }
        }

        return (level, block, bw, bh);
    }

    /// <summary>The skew (degrees, positive = clockwise on screen) that maximises the variance of the sheared row projection of the grid and ink.</summary>
    public double EstimateSkew(double maxDegrees)
    {
        if (maxDegrees <= 0)
        {
            return 0;
        }

        const int strip = 8;
        int w = Width, h = Height, strips = (w + strip - 1) / strip;
        var sums = new float[strips * h];
        for (int y = 0; y < h; y++)
        {
            int row = y * w;
            for (int x = 0; x < w; x++)
            {
                sums[(y * strips) + (x / strip)] += _line[row + x] * (1f / 255);
            }
        }

        int margin = (int)Math.Ceiling((w / 2.0 * Math.Tan(maxDegrees * Math.PI / 180)) + 2);
        var histogram = new double[h + (2 * margin)];
        double Score(double degrees)
        {
            Array.Clear(histogram);
            double t = Math.Tan(degrees * Math.PI / 180);
            for (int s = 0; s < strips; s++)
            {
                double xc = (s * strip) + (strip / 2.0) - (w / 2.0);
                int shift = margin - (int)Math.Round(xc * t);
                for (int y = 0; y < h; y++)
                {
                    histogram[y + shift] += sums[(y * strips) + s];
                }
            }

            double sum = 0;
            foreach (double v in histogram)
            {
                sum += v * v;
            }

            return sum;
        }

        double best = 0, bestScore = Score(0);
        for (double d = -maxDegrees; d <= maxDegrees + 1e-9; d += 0.1)
        {
            double s = Score(d);
            if (s > bestScore)
            {
                bestScore = s;
                best = d;
            }
        }

        double center = best;
        for (double d = center - 0.1; d <= center + 0.1 + 1e-9; d += 0.01)
        {
            double s = Score(d);
            if (s > bestScore)
            {
                bestScore = s;
                best = d;
            }
        }

        return Math.Round(best, 3);
    }

    /// <summary>Rotates the maps so that the page content rotated by <paramref name="degrees"/> becomes level (bilinear).</summary>
    public void Deskew(double degrees)
    {
        if (Math.Abs(degrees) < 0.02)
        {
            return;
        }

        double a = degrees * Math.PI / 180, cos = Math.Cos(a), sin = Math.Sin(a);
        _ink = Rotate(_ink, cos, sin);
        _line = Rotate(_line, cos, sin);
    }

    private byte[] Rotate(byte[] source, double cos, double sin)
    {
        int w = Width, h = Height;
        var result = new byte[w * h];
        double cx = w / 2.0, cy = h / 2.0;
        for (int v = 0; v < h; v++)
        {
            double dy = v + 0.5 - cy;
            for (int u = 0; u < w; u++)
            {
                double dx = u + 0.5 - cx;
                double x = cx + (dx * cos) - (dy * sin) - 0.5;
                double y = cy + (dx * sin) + (dy * cos) - 0.5;
                int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
                if (x0 < 0 || y0 < 0 || x0 >= w - 1 || y0 >= h - 1)
                {
                    continue;
                }

                double tx = x - x0, ty = y - y0;
                int i = (y0 * w) + x0;
                double top = source[i] + ((source[i + 1] - source[i]) * tx);
                double bottom = source[i + w] + ((source[i + w + 1] - source[i + w]) * tx);
                result[(v * w) + u] = (byte)(top + ((bottom - top) * ty) + 0.5);
            }
        }

        return result;
    }

    /// <summary>Refuses pages with (almost) no ink or with far too much of it (noise, photos of something else).</summary>
    public void CheckInkAmount()
    {
        long count = 0;
        foreach (byte v in _ink)
        {
            if (v > _inkThreshold)
            {
                count++;
            }
        }

        double fraction = (double)count / _ink.Length;
        if (fraction < 0.0005)
        {
            throw new EcgFormatException(
                string.Create(CultureInfo.InvariantCulture, $"No trace ink found: {fraction:P3} of the pixels are dark; expected the black traces of a paper ECG (at least 0.05 %)."),
                _source,
                "trace");
        }

        if (fraction > 0.25)
        {
            throw new EcgFormatException(
                string.Create(CultureInfo.InvariantCulture, $"{fraction:P1} of the pixels are dark; a paper ECG has at most 25 % ink (is this a photo of something else, or noise?)."),
                _source,
                "trace");
        }
    }

    /// <summary>Pixels per mm horizontally and vertically from the grid period; <c>Found = false</c> when no plausible grid period exists.</summary>
    public (double Kx, double Ky, bool Found) EstimateScale()
    {
        int w = Width, h = Height;
        var columns = new double[w];
        var rows = new double[h];
        for (int y = 0; y < h; y++)
        {
            int row = y * w;
            for (int x = 0; x < w; x++)
            {
                int i = row + x;
                if (_ink[i] <= _inkThreshold && _line[i] > 25)
                {
                    columns[x] += _line[i];
                    rows[y] += _line[i];
                }
            }
        }

        double? kx = PixelsPerMillimeter(columns, w);
        double? ky = PixelsPerMillimeter(rows, h);
        if (kx is null && ky is null)
        {
            return (double.NaN, double.NaN, false);
        }

        kx ??= ky;
        ky ??= kx;
        if (Math.Abs(kx!.Value / ky!.Value - 1) > 0.1)
        {
            // The two axes disagree by more than a plausible perspective: trust the one that gives the more usual page size.
            double k = Math.Abs((w / kx.Value) - 280) < Math.Abs((h / ky.Value) - 216) ? kx.Value : ky.Value;
            kx = ky = k;
        }

        return (kx.Value, ky.Value, true);
    }

    /// <summary>The slant of the paper's vertical grid lines (image dx per dy) around one row, as s(x) = C + D·x: perspective
    /// tilts them differently across the page after the global deskew, so a point of the trace at height h above its baseline is
    /// printed s·h px to the side of its time. Per quarter of the width, the grid pixels of rows <paramref name="y0"/>–<paramref name="y1"/>
    /// are sheared by candidate slants (±0.05, then parabolic refinement) and the sharpest column profile wins; (0, 0) when the grid
    /// does not say (flat sharpness, or fewer than two quarters).</summary>
    public (double C, double D) VerticalSlant(int y0, int y1)
    {
        int w = Width;
        y0 = Math.Max(0, y0);
        y1 = Math.Min(Height - 1, y1);
        double yc = (y0 + y1) / 2.0;
        const int segments = 4, steps = 20;
        const double maxSlant = 0.05;
        var xs = new List<double>();
        var slants = new List<double>();
        int length = w / segments;
        var profile = new double[length + 2];
        var sharpness = new double[(2 * steps) + 1];
        for (int seg = 0; seg < segments; seg++)
        {
            int xa = seg * length;
            for (int k = -steps; k <= steps; k++)
            {
                double slant = maxSlant * k / steps;
                Array.Clear(profile);
                for (int y = y0; y <= y1; y += 2)
                {
                    int row = y * w;
                    double shift = -slant * (y - yc);
                    for (int x = xa; x < xa + length; x++)
                    {
                        int i = row + x;
                        if (_ink[i] <= _inkThreshold && _line[i] > 25)
                        {
                            double u = x - xa + shift;
                            int j = (int)Math.Floor(u);
                            if (j >= 0 && j + 1 < profile.Length)
                            {
                                double f = u - j;
                                profile[j] += _line[i] * (1 - f);
                                profile[j + 1] += _line[i] * f;
                            }
                        }
                    }
                }

                double sum = 0;
                foreach (double v in profile)
                {
                    sum += v * v;
                }

                sharpness[k + steps] = sum;
            }

            int best = Array.IndexOf(sharpness, sharpness.Max());
            double min = sharpness.Min();
            if (best == 0 || best == sharpness.Length - 1 || sharpness[best] < min * 1.02)
            {
                continue;
            }

            double den = sharpness[best - 1] - (2 * sharpness[best]) + sharpness[best + 1];
            double frac = den < 0 ? 0.5 * (sharpness[best - 1] - sharpness[best + 1]) / den : 0;
            xs.Add(xa + (length / 2.0));
            slants.Add(maxSlant * (best - steps + frac) / steps);
        }

        if (xs.Count < 2)
        {
            return (0, 0);
        }

        var fit = RowTrack.Fit(xs, slants);
        return (fit.A, fit.B);
    }

    /// <summary>The horizontal scale along one row band as a straight line k(x) = A + B·x pixels per mm, fitted through the grid period
    /// of four segments of the band: a perspective view stretches the far end of a row, and 1 % over a 10-s strip is 5 samples at 100 Hz.</summary>
    /// <returns>The fit, or <see langword="null"/> when fewer than two segments show a grid within 8 % of <paramref name="globalScale"/>.</returns>
    public (double A, double B)? LocalHorizontalScale(int y0, int y1, double globalScale)
    {
        int w = Width;
        var columns = new double[w];
        for (int y = Math.Max(0, y0); y <= Math.Min(Height - 1, y1); y++)
        {
            int row = y * w;
            for (int x = 0; x < w; x++)
            {
                int i = row + x;
                if (_ink[i] <= _inkThreshold && _line[i] > 25)
                {
                    columns[x] += _line[i];
                }
            }
        }

        const int segments = 4;
        var xs = new List<double>();
        var ks = new List<double>();
        int length = w / segments;
        for (int s = 0; s < segments; s++)
        {
            double? k = PixelsPerMillimeter(columns.AsSpan(s * length, length).ToArray(), length);
            if (k is double v && Math.Abs((v / globalScale) - 1) < 0.08)
            {
                xs.Add((s + 0.5) * length);
                ks.Add(v);
            }
        }

        if (xs.Count < 2)
        {
            return null;
        }

        double mx = xs.Average(), mk = ks.Average(), sxy = 0, sxx = 0;
        for (int i = 0; i < xs.Count; i++)
        {
            sxy += (xs[i] - mx) * (ks[i] - mk);
            sxx += (xs[i] - mx) * (xs[i] - mx);
        }

        double slope = sxy / sxx, a = mk - (slope * mx);

        // Short segments measure the period less precisely than the whole page: keep the global scale unless the row clearly differs.
        double centre = a + (slope * w / 2);
        if (Math.Abs(slope) * w / centre < 0.006 && Math.Abs((centre / globalScale) - 1) < 0.004)
        {
            return (globalScale, 0);
        }

        return (a, slope);
    }

    private static double? PixelsPerMillimeter(double[] profile, int length)
    {
        int maxLag = Math.Min(length / 4, 160);
        if (maxLag < 12)
        {
            return null;
        }

        double mean = profile.Average();
        var centred = profile.Select(v => v - mean).ToArray();
        var ac = new double[maxLag + 2];
        for (int lag = 0; lag < ac.Length; lag++)
        {
            double s = 0;
            for (int i = 0; i + lag < centred.Length; i++)
            {
                s += centred[i] * centred[i + lag];
            }

            ac[lag] = s / (centred.Length - lag);
        }

        if (ac[0] <= 0)
        {
            return null;
        }

        for (int i = ac.Length - 1; i >= 0; i--)
        {
            ac[i] /= ac[0];
        }

        int first = -1;
        for (int lag = 2; lag <= maxLag; lag++)
        {
            if (ac[lag] > 0.15 && ac[lag] >= ac[lag - 1] && ac[lag] >= ac[lag + 1])
            {
                first = lag;
                break;
            }
        }

        if (first < 0)
        {
            return null;
        }

        double p = Refine(ac, first, 1);
        bool minor = false;
        if (5 * p + 3 <= maxLag)
        {
            double a5 = ac[(int)Math.Round(Refine(ac, (int)Math.Round(5 * p), 2))];
            double a2 = ac[(int)Math.Round(Refine(ac, (int)Math.Round(2 * p), 2))];
            double a3 = ac[(int)Math.Round(Refine(ac, (int)Math.Round(3 * p), 2))];
            minor = a5 > 1.1 * Math.Max(a2, a3);
        }

        // Sharpen the period with the largest multiple inside the short window, then walk out to multiples of the major (5 mm)
        // period up to 60 % of the profile, 1.5× further each step: the time axis needs the scale to better than 0.05 % (2 px over
        // a 250-mm strip), and each step's prediction is accurate enough (error × 1.5) to land on the right peak of the next.
        int m = Math.Max(1, (int)((maxLag - 3) / p));
        double period = Refine(ac, (int)Math.Round(m * p), Math.Max(2, (int)(p / 4))) / m;
        double major = minor ? 5 * period : period;
        int limit = (int)(0.6 * centred.Length);
        for (int multiple = 2; multiple * major <= limit; multiple = (int)Math.Ceiling(multiple * 1.5))
        {
            int target = (int)Math.Round(multiple * major), radius = Math.Max(2, (int)(major / 5));
            if (!double.IsFinite(major) || target - radius - 1 < 1 || target + radius + 2 >= centred.Length)
            {
                break; // a degenerate refinement (noisy profile): keep the scale found so far
            }

            var local = new double[(2 * radius) + 3];
            for (int j = 0; j < local.Length; j++)
            {
                int lag = target - radius - 1 + j;
                double sum = 0;
                for (int i = 0; i + lag < centred.Length; i++)
                {
                    sum += centred[i] * centred[i + lag];
                }

                local[j] = sum / (centred.Length - lag);
            }

            double peak = Refine(local, radius + 1, radius);
            major = (target - radius - 1 + peak) / multiple;
        }

        period = minor ? major / 5 : major;
        double k = minor ? period : period / 5;
        return k is >= 1.5 and <= 16 && length / k is >= 60 and <= 800 ? k : null;
    }

    /// <summary>The sub-sample position of the largest autocorrelation value within ±<paramref name="radius"/> of <paramref name="lag"/> (parabolic fit).</summary>
    private static double Refine(double[] ac, int lag, int radius)
    {
        int best = Math.Clamp(lag, 1, ac.Length - 2);
        for (int l = Math.Max(1, lag - radius); l <= Math.Min(ac.Length - 2, lag + radius); l++)
        {
            if (ac[l] > ac[best])
            {
                best = l;
            }
        }

        double a = ac[best - 1], b = ac[best], c = ac[best + 1];
        double d = a - (2 * b) + c;
        return d < 0 ? best + Math.Clamp(0.5 * (a - c) / d, -1, 1) : best;
    }

    /// <summary>The y of the <paramref name="count"/> trace rows, top to bottom: peaks of the smoothed ink row projection whose band has ink in most columns.</summary>
    public int[] FindRows(int count, double pixelsPerMm, string layout)
    {
        int w = Width, h = Height;
        int xa = w / 10, xb = w - (w / 10);
        var projection = new double[h];
        for (int y = 0; y < h; y++)
        {
            int row = y * w, c = 0;
            for (int x = xa; x < xb; x++)
            {
                if (_ink[row + x] > _inkThreshold)
                {
                    c++;
                }
            }

            projection[y] = c;
        }

        int half = Math.Max(1, (int)Math.Round(pixelsPerMm * 0.75));
        var smooth = new double[h];
        for (int y = 0; y < h; y++)
        {
            double s = 0;
            for (int d = -half; d <= half; d++)
            {
                s += projection[Math.Clamp(y + d, 0, h - 1)];
            }

            smooth[y] = s;
        }

        double pageMm = h / pixelsPerMm;
        int minSeparation = (int)Math.Round(0.55 * pageMm / (count + 1) * pixelsPerMm);
        var peaks = new List<int>();
        for (int y = 1; y < h - 1; y++)
        {
            if (smooth[y] > 0 && smooth[y] >= smooth[y - 1] && smooth[y] > smooth[y + 1])
            {
                peaks.Add(y);
            }
        }

        // A trace baseline stands far above the typical row of the page; noise or a photo of something else does not.
        double typical = PaperEcgDigitizer.Median(smooth);
        int band = Math.Max(2, (int)Math.Round(5 * pixelsPerMm));
        var candidates = new List<(int Y, double Score)>();
        foreach (int y in peaks.OrderByDescending(p => smooth[p]))
        {
            if (candidates.Any(c => Math.Abs(c.Y - y) < minSeparation))
            {
                continue;
            }

            double coverage = Coverage(y, band, xa, xb);
            if (coverage >= 0.7 && smooth[y] >= 3 * typical)
            {
                candidates.Add((y, smooth[y] * coverage * coverage));
            }

            if (candidates.Count >= 4 * count)
            {
                break;
            }
        }

        if (candidates.Count < count)
        {
            throw new EcgFormatException(
                $"Found {candidates.Count} trace row(s); expected {count} for a {layout} page (a row is a narrow band with ink across most of the page width, much denser than the rest of the page).",
                _source,
                "rows");
        }

        return candidates.OrderByDescending(c => c.Score).Take(count).Select(c => c.Y).Order().ToArray();
    }

    private double Coverage(int y, int band, int xa, int xb)
    {
        int y0 = Math.Max(0, y - band), y1 = Math.Min(Height - 1, y + band), covered = 0;
        for (int x = xa; x < xb; x++)
        {
            for (int yy = y0; yy <= y1; yy++)
            {
                if (_ink[(yy * Width) + x] > _inkThreshold)
                {
                    covered++;
                    break;
                }
            }
        }

        return (double)covered / (xb - xa);
    }

    /// <summary>The original stroke width in pixels: the median over flat trace columns of the ink integrated across the line
    /// (blur spreads the ink but keeps its sum), divided by the ink of a solid line (255).</summary>
    public double StrokeWidth(IReadOnlyList<RowTrack> tracks, double fallback)
    {
        var widths = new List<double>();
        foreach (RowTrack t in tracks)
        {
            for (int x = 0; x < Width; x += 3)
            {
                if (!t.IsFlat(x, fallback))
                {
                    continue;
                }

                int centre = (int)t.Centre(x);
                int half = (int)Math.Ceiling(fallback) + 3;
                double sum = 0;
                for (int y = Math.Max(0, centre - half); y <= Math.Min(Height - 1, centre + half); y++)
                {
                    sum += Math.Max(0, _ink[(y * Width) + x] - 40);
                }

                widths.Add(sum / (255 - 40));
            }
        }

        return widths.Count < 20 ? fallback : PaperEcgDigitizer.Median(widths);
    }

    /// <summary>The sub-pixel position (continuous x) of one end of a traced row, where the ink along the trace falls to half of its
    /// level in the body of the trace: unlike a fixed threshold, this does not move when blur lowers and widens the line.</summary>
    /// <param name="track">The row.</param>
    /// <param name="end">The last (direction +1) or first (direction −1) traced column.</param>
    /// <param name="direction">+1 for the right end, −1 for the left end.</param>
    /// <param name="stroke">The stroke width in pixels.</param>
    public double RefineEnd(RowTrack track, int end, int direction, double stroke)
    {
        double yc = track.Centre(end);
        if (double.IsNaN(yc))
        {
            return end + 0.5 + (direction * 0.5);
        }

        int half = (int)Math.Ceiling(stroke) + 2;
        double Level(int x, double centre)
        {
            if (x < 0 || x >= Width)
            {
                return 0;
            }

            int best = 0;
            for (int y = Math.Max(0, (int)centre - half); y <= Math.Min(Height - 1, (int)centre + half); y++)
            {
                best = Math.Max(best, _ink[(y * Width) + x]);
            }

            return best;
        }

        var body = new List<double>();
        for (int k = 8; k <= 40; k++)
        {
            int x = end - (direction * k);
            double c = track.Centre(x);
            if (!double.IsNaN(c))
            {
                body.Add(Level(x, c));
            }
        }

        if (body.Count < 5)
        {
            return end + 0.5 + (direction * 0.5);
        }

        // The ink is read around the trace's own centre in each column (the end of a row can be a steep stretch, where the
        // end column's centre is pixels away from its neighbours'), and around the end column's centre beyond the trace.
        double At(int x)
        {
            double c = x >= 0 && x < Width ? track.Centre(x) : double.NaN;
            return double.IsNaN(c) ? yc : c;
        }

        double halfLevel = PaperEcgDigitizer.Median(body) / 2;
        int previous = end - (direction * 4);
        for (int step = -3; step <= 6; step++)
        {
            int x = end + (direction * step);
            double level = Level(x, At(x)), before = Level(previous, At(previous));
            if (level < halfLevel && before >= halfLevel)
            {
                double fraction = (before - halfLevel) / Math.Max(1e-9, before - level);
                return previous + 0.5 + (direction * fraction);
            }

            previous = x;
        }

        return end + 0.5 + (direction * 0.5);
    }

    /// <summary>Follows the trace of one row across the page: the path through the vertical ink runs of every column (or a skipped
    /// column) that minimises the vertical gaps between consecutive runs plus a weak pull towards the row (dynamic programming).</summary>
    /// <remarks>Where two rows' traces touch (a deep S wave meeting the next row's R wave), both continuations are gap-free and the
    /// pull keeps the path on its own row; a greedy nearest-run tracker follows whichever trace the merged run leans to.
    /// The pull per column (0.02 × distance) stays below the cost of skipping a column, so tall QRS complexes are never skipped.</remarks>
    public RowTrack TrackRow(int rowY, int radius, double stroke)
    {
        int w = Width, h = Height;
        int y0 = Math.Max(0, rowY - radius), y1 = Math.Min(h - 1, rowY + radius);
        const double pull = 0.02;
        const int maxRuns = 12;
        double skip = Math.Max(8, 2 * stroke);
        var tops = new int[w * maxRuns];
        var bottoms = new int[w * maxRuns];
        var counts = new int[w];
        for (int x = 0; x < w; x++)
        {
            int y = y0, n = 0;
            while (y <= y1 && n < maxRuns)
            {
                if (_ink[(y * w) + x] <= _inkThreshold)
                {
                    y++;
                    continue;
                }

                int start = y;
                while (y <= y1 && _ink[(y * w) + x] > _inkThreshold)
                {
                    y++;
                }

                tops[(x * maxRuns) + n] = start;
                bottoms[(x * maxRuns) + n] = y - 1;
                n++;
            }

            counts[x] = n;
        }

        // State k < counts[x] is run k; state counts[x] is "skip" (no run taken), which carries the previous interval along.
        int states = maxRuns + 1;
        var cost = new double[w * states];
        var back = new short[w * states];
        var lo = new double[w * states];
        var hi = new double[w * states];
        for (int x = 0; x < w; x++)
        {
            int n = counts[x];
            for (int k = 0; k <= n; k++)
            {
                int s = (x * states) + k;
                double top, bottom;
                if (k < n)
                {
                    top = tops[(x * maxRuns) + k];
                    bottom = bottoms[(x * maxRuns) + k];
                }
                else
                {
                    top = bottom = double.NaN;
                }

                double best = double.MaxValue;
                int bestPrevious = -1;
                if (x == 0)
                {
                    best = k < n ? Gap(rowY, rowY, top, bottom) : 0;
                }
                else
                {
                    int p0 = (x - 1) * states, pn = counts[x - 1];
                    for (int p = 0; p <= pn; p++)
                    {
                        double c = cost[p0 + p] + (k < n ? Gap(lo[p0 + p], hi[p0 + p], top, bottom) : 0);
                        if (c < best)
                        {
                            best = c;
                            bestPrevious = p;
                        }
                    }
                }

                if (k < n)
                {
                    cost[s] = best + (pull * Math.Abs(((top + bottom + 1) / 2) - rowY));
                    lo[s] = top;
                    hi[s] = bottom;
                }
                else
                {
                    cost[s] = best + skip;
                    lo[s] = x == 0 ? rowY : lo[((x - 1) * states) + bestPrevious];
                    hi[s] = x == 0 ? rowY : hi[((x - 1) * states) + bestPrevious];
                }

                back[s] = (short)bestPrevious;
            }
        }

        var topResult = new int[w];
        var bottomResult = new int[w];
        int state = 0;
        double min = double.MaxValue;
        for (int k = 0; k <= counts[w - 1]; k++)
        {
            if (cost[((w - 1) * states) + k] < min)
            {
                min = cost[((w - 1) * states) + k];
                state = k;
            }
        }

        for (int x = w - 1; x >= 0; x--)
        {
            bool run = state < counts[x];
            topResult[x] = run ? tops[(x * maxRuns) + state] : -1;
            bottomResult[x] = run ? bottoms[(x * maxRuns) + state] : -1;
            state = back[(x * states) + state];
        }

        return new RowTrack(topResult, bottomResult, rowY);
    }

    /// <summary>The vertical gap between the interval [a, b] and the run [top, bottom]; 0 when they overlap or touch.</summary>
    private static double Gap(double a, double b, double top, double bottom) =>
        top > b + 1 ? top - b - 1 : a > bottom + 1 ? a - bottom - 1 : 0;
}

/// <summary>The traced ink run (top and bottom pixel rows, −1 when none) in every pixel column of one trace row.</summary>
internal sealed class RowTrack
{
    private readonly int[] _top;
    private readonly int[] _bottom;
    private readonly double[] _value;

    public RowTrack(int[] top, int[] bottom, int rowY)
    {
        _top = top;
        _bottom = bottom;
        RowY = rowY;
        int w = top.Length;
        var lengths = new List<int>();
        for (int x = 0; x < w; x++)
        {
            if (top[x] >= 0)
            {
                lengths.Add(bottom[x] - top[x] + 1);
            }
        }

        lengths.Sort();
        double stroke = lengths.Count == 0 ? 2 : lengths[lengths.Count / 2];
        Stroke = stroke;
        _value = new double[w];
        for (int x = 0; x < w; x++)
        {
            if (top[x] < 0)
            {
                _value[x] = double.NaN;
                continue;
            }

            double centre = (top[x] + bottom[x] + 1) / 2.0;
            double length = bottom[x] - top[x] + 1;
            if (length > 2 * stroke)
            {
                // A steep stretch (QRS): at a local extreme the trace turns at the run's end, elsewhere it passes through the middle.
                int lt = x > 0 && top[x - 1] >= 0 ? top[x - 1] : int.MaxValue, rt = x < w - 1 && top[x + 1] >= 0 ? top[x + 1] : int.MaxValue;
                int lb = x > 0 && top[x - 1] >= 0 ? bottom[x - 1] : int.MinValue, rb = x < w - 1 && top[x + 1] >= 0 ? bottom[x + 1] : int.MinValue;
                if (top[x] <= lt && top[x] <= rt && (top[x] < lt || top[x] < rt))
                {
                    centre = top[x] + (stroke / 2);
                }
                else if (bottom[x] >= lb && bottom[x] >= rb && (bottom[x] > lb || bottom[x] > rb))
                {
                    centre = bottom[x] + 1 - (stroke / 2);
                }
                else if (x > 0 && x < w - 1 && top[x - 1] >= 0 && top[x + 1] >= 0)
                {
                    // Where a steep stretch meets a flat one inside this column, the run also holds the steep stroke's width
                    // above (or below) the corner and its middle misses the corner. The morphological opening and closing of the
                    // trace (max of the neighbours' run tops, min of their run bottoms, each less half a stroke) bracket the
                    // centre line; on straight stretches the middle already lies between them and is kept.
                    double opening = Math.Max(top[x - 1], Math.Max(top[x], top[x + 1])) + (stroke / 2);
                    double closing = Math.Min(bottom[x - 1], Math.Min(bottom[x], bottom[x + 1])) + 1 - (stroke / 2);
                    if (opening <= closing)
                    {
                        centre = Math.Clamp(centre, opening, closing);
                    }
                }
            }

            _value[x] = centre;
        }
    }

    public int RowY { get; }

    public double Stroke { get; }

    /// <summary>The centre of the run in column <paramref name="x"/>, or NaN.</summary>
    public double Centre(int x) => x >= 0 && x < _top.Length && _top[x] >= 0 ? (_top[x] + _bottom[x] + 1) / 2.0 : double.NaN;

    /// <summary>Whether column <paramref name="x"/> and its neighbours hold short runs at about the same height (a flat stretch).</summary>
    public bool IsFlat(int x, double stroke)
    {
        if (x < 1 || x >= _top.Length - 1 || _top[x - 1] < 0 || _top[x] < 0 || _top[x + 1] < 0)
        {
            return false;
        }

        for (int i = x - 1; i <= x + 1; i++)
        {
            if (_bottom[i] - _top[i] + 1 > 1.5 * stroke + 1 || Math.Abs(Centre(i) - Centre(x)) > 0.5)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Forgets the columns within <paramref name="halfWidth"/> px of <paramref name="x"/> whose run reaches at least
    /// <paramref name="minHalfSpan"/> px both above and below <paramref name="baselineY"/> (a lead separator tick drawn across the
    /// baseline); the samples there are interpolated from the neighbours. A QRS complex next to the boundary is kept.</summary>
    public void MaskSeparator(double x, double halfWidth, double baselineY, double minHalfSpan)
    {
        for (int i = Math.Max(0, (int)Math.Floor(x - halfWidth)); i <= Math.Min(_value.Length - 1, (int)Math.Ceiling(x + halfWidth)); i++)
        {
            if (_top[i] >= 0 && _top[i] <= baselineY - minHalfSpan && _bottom[i] + 1 >= baselineY + minHalfSpan)
            {
                _value[i] = double.NaN;
            }
        }
    }

    public IEnumerable<int> RunLengths()
    {
        for (int x = 0; x < _top.Length; x++)
        {
            if (_top[x] >= 0)
            {
                yield return _bottom[x] - _top[x] + 1;
            }
        }
    }

    /// <summary>The longest stretch of traced columns, allowing gaps of up to <paramref name="maxGap"/> columns.</summary>
    public (int Start, int End) Extent(int maxGap)
    {
        int bestStart = 0, bestEnd = -1, start = -1, last = -1;
        for (int x = 0; x < _top.Length; x++)
        {
            if (_top[x] < 0)
            {
                continue;
            }

            if (start < 0 || x - last > maxGap + 1)
            {
                start = x;
            }

            last = x;
            if (last - start > bestEnd - bestStart)
            {
                bestStart = start;
                bestEnd = last;
            }
        }

        return (bestStart, bestEnd);
    }

    /// <summary>The trace centre (pixel y, continuous coordinates) at continuous x, linearly interpolated between column centres; NaN where no trace.</summary>
    public double ValueAt(double x)
    {
        double f = x - 0.5;
        int i = (int)Math.Floor(f);
        if (i < -1 || i >= _value.Length)
        {
            return double.NaN;
        }

        double a = i >= 0 ? _value[i] : double.NaN, b = i + 1 < _value.Length ? _value[i + 1] : double.NaN;
        if (double.IsNaN(a))
        {
            return b;
        }

        if (double.IsNaN(b))
        {
            return a;
        }

        double t = f - i;
        return a + ((b - a) * t);
    }

    /// <summary>The row's 0 mV line y = a + b·x over [x0, x1]: a robust straight-line fit through the modal trace height of eight chunks.</summary>
    public (double A, double B) FitBaseline(double x0, double x1, double stroke)
    {
        const int chunks = 8;
        var xs = new List<double>();
        var ys = new List<double>();
        int from = Math.Max(0, (int)x0), to = Math.Min(_value.Length - 1, (int)x1);
        double width = (to - from + 1) / (double)chunks;
        var histogram = new Dictionary<int, int>();
        for (int c = 0; c < chunks; c++)
        {
            histogram.Clear();
            int a = from + (int)(c * width), b = from + (int)((c + 1) * width);
            for (int x = a; x < b; x++)
            {
                if (!double.IsNaN(_value[x]))
                {
                    int key = (int)Math.Round(_value[x]);
                    histogram[key] = histogram.GetValueOrDefault(key) + 1;
                }
            }

            if (histogram.Count == 0)
            {
                continue;
            }

            int bestKey = 0, bestCount = -1;
            foreach ((int key, int _) in histogram)
            {
                int count = histogram.GetValueOrDefault(key - 1) + (2 * histogram[key]) + histogram.GetValueOrDefault(key + 1);
                if (count > bestCount)
                {
                    bestCount = count;
                    bestKey = key;
                }
            }

            // Refine the mode to the mean of the values within one stroke of it.
            double sum = 0;
            int n = 0;
            for (int x = a; x < b; x++)
            {
                if (!double.IsNaN(_value[x]) && Math.Abs(_value[x] - bestKey) <= Math.Max(1, stroke / 2))
                {
                    sum += _value[x];
                    n++;
                }
            }

            xs.Add((a + b) / 2.0);
            ys.Add(n > 0 ? sum / n : bestKey);
        }

        if (xs.Count == 0)
        {
            return (RowY, 0);
        }

        // Least squares, then drop chunks more than 3 px off (a chunk whose mode sat on a long ST segment) and refit.
        (double A, double B) fit = Fit(xs, ys);
        for (int iteration = 0; iteration < 2 && xs.Count > 2; iteration++)
        {
            var keepX = new List<double>();
            var keepY = new List<double>();
            double limit = Math.Max(3, 1.5 * PaperEcgDigitizer.Median(xs.Select((x, i) => Math.Abs(ys[i] - fit.A - (fit.B * x)))));
            for (int i = 0; i < xs.Count; i++)
            {
                if (Math.Abs(ys[i] - fit.A - (fit.B * xs[i])) <= limit)
                {
                    keepX.Add(xs[i]);
                    keepY.Add(ys[i]);
                }
            }

            if (keepX.Count < 2 || keepX.Count == xs.Count)
            {
                break;
            }

            xs = keepX;
            ys = keepY;
            fit = Fit(xs, ys);
        }

        return fit;
    }

    internal static (double A, double B) Fit(List<double> xs, List<double> ys)
    {
        int n = xs.Count;
        double mx = xs.Average(), my = ys.Average();
        if (n < 2)
        {
            return (my, 0);
        }

        double sxy = 0, sxx = 0;
        for (int i = 0; i < n; i++)
        {
            sxy += (xs[i] - mx) * (ys[i] - my);
            sxx += (xs[i] - mx) * (xs[i] - mx);
        }

        double b = sxx > 0 ? sxy / sxx : 0;
        return (my - (b * mx), b);
    }
}
