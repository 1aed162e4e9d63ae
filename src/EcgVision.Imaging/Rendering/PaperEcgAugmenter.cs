using System.Globalization;
using EcgVision.Imaging.Internal;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace EcgVision.Imaging.Rendering;

/// <summary>Applies seeded photo/scan effects (rotation, perspective, creases, uneven lighting, blur, noise, JPEG) to a rendered paper ECG.</summary>
/// <remarks>
/// <para>Deterministic: the same image, options and seed give the same pixels (the JPEG step relies on ImageSharp 2.1.13's encoder
/// producing the same bytes, see docs/rendering.md). Each effect draws from its own
/// PRNG stream (xoshiro256**, defined in this library), so switching one effect off does not change the others. Geometry uses
/// Taylor-series trigonometry, blur is integer box filtering, noise is an integer Irwin–Hall approximation of a Gaussian; the JPEG
/// round trip runs through ImageSharp's managed codec.</para>
/// <para>The image keeps its size. Lead boxes are mapped through the geometric transform: each becomes the axis-aligned hull of
/// its four transformed corners, clipped to the image (a little looser than the ink after rotation); photometric effects leave
/// them unchanged. The class is immutable and thread-safe.</para>
/// </remarks>
public sealed class PaperEcgAugmenter
{
    private const int GeometryStream = 1, CreaseStream = 2, LightingStream = 3, BlurStream = 4, NoiseStream = 5, JpegStream = 6;

    /// <summary>Creates an augmenter, validating the options once.</summary>
    /// <param name="options">The options; <see langword="null"/> for <see cref="PaperEcgAugmentationOptions.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A probability is outside [0, 1] or a strength outside its documented range.</exception>
    public PaperEcgAugmenter(PaperEcgAugmentationOptions? options = null)
    {
        options ??= PaperEcgAugmentationOptions.Default;
        Validate(options);
        Options = options;
    }

    /// <summary>The validated options.</summary>
    public PaperEcgAugmentationOptions Options { get; }

    /// <summary>Returns an augmented copy of <paramref name="image"/>; the input is not changed.</summary>
    /// <param name="image">A rendered page.</param>
    /// <param name="seed">The seed; the same seed gives the same output.</param>
    /// <returns>A new image of the same size with transformed lead boxes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="image"/> is <see langword="null"/>.</exception>
    public PaperEcgImage Augment(PaperEcgImage image, int seed)
    {
        ArgumentNullException.ThrowIfNull(image);
        var o = Options;
        int w = image.Width, h = image.Height;
        byte[] px = image.Pixels.ToArray();
        IReadOnlyList<LeadBoundingBox> boxes = image.LeadBoxes;

        double[]? homography = DrawHomography(seed, w, h);
        if (homography is not null)
        {
            px = Warp(px, w, h, homography);
            boxes = TransformBoxes(boxes, homography, w, h);
        }

        float[]? shade = null;
        var crease = Stream(seed, CreaseStream);
        if (crease.NextDouble() < o.CreaseProbability && o.MaxCreaseStrength > 0)
        {
            shade ??= Ones(w * h);
            AddCreases(shade, w, h, ref crease);
        }

        var light = Stream(seed, LightingStream);
        if (light.NextDouble() < o.LightingProbability && o.MaxLightingStrength > 0)
        {
            shade ??= Ones(w * h);
            AddLighting(shade, w, h, ref light);
        }

        if (shade is not null)
        {
            ApplyShade(px, shade);
        }

        var blur = Stream(seed, BlurStream);
        if (blur.NextDouble() < o.BlurProbability && o.MaxBlurSigma > 0)
        {
            GaussianBlurApprox(px, w, h, blur.NextDouble(0.2, 1) * o.MaxBlurSigma);
        }

        var noise = Stream(seed, NoiseStream);
        if (noise.NextDouble() < o.NoiseProbability && o.MaxNoiseSigma > 0)
        {
            AddNoise(px, (float)(noise.NextDouble(0.2, 1) * o.MaxNoiseSigma), ref noise);
        }

        var jpeg = Stream(seed, JpegStream);
        if (jpeg.NextDouble() < o.JpegProbability)
        {
            px = JpegRoundTrip(px, w, h, jpeg.NextInt(o.MinJpegQuality, o.MaxJpegQuality));
        }

        return new PaperEcgImage(px, w, h, image.Dpi, boxes);
    }

    private static Xoshiro256 Stream(int seed, int stream) =>
        new(unchecked(((long)seed << 8) ^ (stream * 0x2545F4914F6CDD1DL)));

    private static float[] Ones(int n)
    {
        var a = new float[n];
        Array.Fill(a, 1f);
        return a;
    }

    /// <summary>The homography mapping source pixel coordinates to output coordinates, or null when no geometric effect fires.</summary>
    private double[]? DrawHomography(int seed, int w, int h)
    {
        var o = Options;
        var rng = Stream(seed, GeometryStream);
        bool rotate = rng.NextDouble() < o.RotationProbability && o.MaxRotationDegrees > 0;
        double angle = rng.NextDouble(-1, 1) * o.MaxRotationDegrees * Math.PI / 180;
        bool skew = rng.NextDouble() < o.PerspectiveProbability && o.MaxPerspective > 0;
        Span<double> jitter = stackalloc double[8];
        for (int i = 0; i < 8; i++)
        {
            jitter[i] = rng.NextDouble(-1, 1) * o.MaxPerspective * (i % 2 == 0 ? w : h);
        }

        if (!rotate && !skew)
        {
            return null;
        }

        double cos = rotate ? DeterministicMath.Cos(angle) : 1, sin = rotate ? DeterministicMath.Sin(angle) : 0;
        double cx = w / 2.0, cy = h / 2.0;
        Span<double> src = [0, 0, w, 0, w, h, 0, h];
        Span<double> dst = stackalloc double[8];
        for (int i = 0; i < 4; i++)
        {
            double x = src[2 * i] - cx, y = src[2 * i + 1] - cy;
            dst[2 * i] = cx + x * cos - y * sin + (skew ? jitter[2 * i] : 0);
            dst[2 * i + 1] = cy + x * sin + y * cos + (skew ? jitter[2 * i + 1] : 0);
        }

        return SolveHomography(src, dst);
    }

    /// <summary>Solves the 8 unknowns of a homography (h₃₃ = 1) from four point pairs by Gaussian elimination with partial pivoting.</summary>
    internal static double[] SolveHomography(ReadOnlySpan<double> src, ReadOnlySpan<double> dst)
    {
        var a = new double[8, 9];
        for (int i = 0; i < 4; i++)
        {
            double x = src[2 * i], y = src[2 * i + 1], u = dst[2 * i], v = dst[2 * i + 1];
            double[] r1 = [x, y, 1, 0, 0, 0, -x * u, -y * u, u];
            double[] r2 = [0, 0, 0, x, y, 1, -x * v, -y * v, v];
            for (int j = 0; j < 9; j++)
            {
                a[2 * i, j] = r1[j];
                a[2 * i + 1, j] = r2[j];
            }
        }

        for (int col = 0; col < 8; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < 8; r++)
            {
                if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col]))
                {
                    pivot = r;
                }
            }

            for (int j = 0; j < 9; j++)
            {
                (a[col, j], a[pivot, j]) = (a[pivot, j], a[col, j]);
            }

            for (int r = 0; r < 8; r++)
            {
                if (r == col)
                {
                    continue;
                }

                double f = a[r, col] / a[col, col];
                for (int j = col; j < 9; j++)
                {
                    a[r, j] -= f * a[col, j];
                }
            }
        }

        var hm = new double[9];
        for (int i = 0; i < 8; i++)
        {
            hm[i] = a[i, 8] / a[i, i];
        }

        hm[8] = 1;
        return hm;
    }

    private static double[] Invert3x3(double[] m)
    {
        double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], hh = m[7], i = m[8];
        double A = e * i - f * hh, B = -(d * i - f * g), C = d * hh - e * g;
        double det = a * A + b * B + c * C;
        return
        [
            A / det, -(b * i - c * hh) / det, (b * f - c * e) / det,
            B / det, (a * i - c * g) / det, -(a * f - c * d) / det,
            C / det, -(a * hh - b * g) / det, (a * e - b * d) / det,
        ];
    }

    private byte[] Warp(byte[] src, int w, int h, double[] forward)
    {
        double[] inv = Invert3x3(forward);
        var dst = GC.AllocateUninitializedArray<byte>(src.Length);
        (byte br, byte bg, byte bb) = Options.BackgroundColor;
        uint background = br | ((uint)bg << 8) | ((uint)bb << 16) | 0xFF000000u;
        ReadOnlySpan<uint> s = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(src.AsSpan()); // RGBA as little-endian uint
        Span<uint> d = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(dst.AsSpan());
        for (int y = 0; y < h; y++)
        {
            double py = y + 0.5;
            double zr = inv[7] * py + inv[8], xr = inv[1] * py + inv[2], yr = inv[4] * py + inv[5];
            int row = y * w;
            for (int x = 0; x < w; x++)
            {
                double pxc = x + 0.5;
                double iz = 1 / (inv[6] * pxc + zr);
                double sx = (inv[0] * pxc + xr) * iz - 0.5;
                double sy = (inv[3] * pxc + yr) * iz - 0.5;
                if (!(sx > -1 && sy > -1 && sx < w && sy < h))
                {
                    d[row + x] = background;
                    continue;
                }

                // Bilinear weights in 1/256 steps: integer arithmetic keeps the result identical on every platform.
                int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                int fx = (int)((sx - x0) * 256), fy = (int)((sy - y0) * 256);
                uint p00, p10, p01, p11;
                if (x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h)
                {
                    int i = y0 * w + x0;
                    p00 = s[i];
                    p10 = s[i + 1];
                    p01 = s[i + w];
                    p11 = s[i + w + 1];
                }
                else
                {
                    p00 = Fetch(s, w, h, x0, y0, background);
                    p10 = Fetch(s, w, h, x0 + 1, y0, background);
                    p01 = Fetch(s, w, h, x0, y0 + 1, background);
                    p11 = Fetch(s, w, h, x0 + 1, y0 + 1, background);
                }

                d[row + x] = Lerp2(p00, p10, p01, p11, fx, fy);
            }
        }

        return dst;
    }

    private static uint Fetch(ReadOnlySpan<uint> src, int w, int h, int x, int y, uint background) =>
        (uint)x < (uint)w && (uint)y < (uint)h ? src[y * w + x] : background;

    private static uint Lerp2(uint p00, uint p10, uint p01, uint p11, int fx, int fy)
    {
        uint result = 0xFF000000u;
        for (int shift = 0; shift < 24; shift += 8)
        {
            int a = (int)((p00 >> shift) & 0xFF), b = (int)((p10 >> shift) & 0xFF);
            int c = (int)((p01 >> shift) & 0xFF), e = (int)((p11 >> shift) & 0xFF);
            int top = (a << 8) + (b - a) * fx;        // × 256
            int bottom = (c << 8) + (e - c) * fx;     // × 256
            int v = ((top << 8) + (bottom - top) * fy + 32768) >> 16;
            result |= (uint)v << shift;
        }

        return result;
    }

    private static List<LeadBoundingBox> TransformBoxes(IReadOnlyList<LeadBoundingBox> boxes, double[] m, int w, int h)
    {
        var result = new List<LeadBoundingBox>(boxes.Count);
        foreach (var b in boxes)
        {
            double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
            foreach ((double x, double y) in (ReadOnlySpan<(double, double)>)[(b.X, b.Y), (b.X + b.Width, b.Y), (b.X, b.Y + b.Height), (b.X + b.Width, b.Y + b.Height)])
            {
                double z = m[6] * x + m[7] * y + m[8];
                double u = (m[0] * x + m[1] * y + m[2]) / z;
                double v = (m[3] * x + m[4] * y + m[5]) / z;
                minX = Math.Min(minX, u);
                maxX = Math.Max(maxX, u);
                minY = Math.Min(minY, v);
                maxY = Math.Max(maxY, v);
            }

            int x0 = Math.Clamp((int)Math.Floor(minX), 0, w - 1), y0 = Math.Clamp((int)Math.Floor(minY), 0, h - 1);
            int x1 = Math.Clamp((int)Math.Ceiling(maxX), x0 + 1, w), y1 = Math.Clamp((int)Math.Ceiling(maxY), y0 + 1, h);
            result.Add(b with { X = x0, Y = y0, Width = x1 - x0, Height = y1 - y0 });
        }

        return result;
    }

    private void AddCreases(float[] shade, int w, int h, ref Xoshiro256 rng)
    {
        double diag = Math.Sqrt((double)w * w + (double)h * h);
        int n = rng.NextInt(1, Options.MaxCreases);
        for (int k = 0; k < n; k++)
        {
            double px = rng.NextDouble(0, w), py = rng.NextDouble(0, h);
            (double nx, double ny) = RandomUnitVector(ref rng);
            double width = diag * rng.NextDouble(0.004, 0.015);
            float strength = (float)(rng.NextDouble(0.3, 1) * Options.MaxCreaseStrength);

            // Signed distance to the fold in crease widths, u = ux[x] + uy(y): lit on one side, shadowed on the other, a dark
            // line on the fold. Beyond 64 widths the change is below 1e-5 and is skipped.
            var ux = new float[w];
            for (int x = 0; x < w; x++)
            {
                ux[x] = (float)((x + 0.5 - px) * nx / width);
            }

            for (int y = 0; y < h; y++)
            {
                int row = y * w;
                float uy = (float)((y + 0.5 - py) * ny / width);
                for (int x = 0; x < w; x++)
                {
                    float u = ux[x] + uy;
                    if (u > 64 || u < -64)
                    {
                        continue;
                    }

                    float u2 = u * u;
                    float bump = 1 / (1 + u2);
                    shade[row + x] *= 1 + strength * (2 * u * bump * bump - 0.5f / (1 + 16 * u2));
                }
            }
        }
    }

    private void AddLighting(float[] shade, int w, int h, ref Xoshiro256 rng)
    {
        double total = rng.NextDouble(0.2, 1) * Options.MaxLightingStrength;
        double split = rng.NextDouble();
        float gradient = (float)(total * split), vignette = (float)(total * (1 - split));
        (double dx, double dy) = RandomUnitVector(ref rng);
        double cx = w * rng.NextDouble(0.3, 0.7), cy = h * rng.NextDouble(0.3, 0.7);
        double halfDiag = 0.5 * Math.Sqrt((double)w * w + (double)h * h);

        // Both terms split into per-column and per-row parts: proj = px[x] + py(y), r² = rx²[x] + ry²(y).
        var projX = new float[w];
        var rx2 = new float[w];
        for (int x = 0; x < w; x++)
        {
            projX[x] = (float)((x + 0.5 - w / 2.0) * dx / halfDiag);
            double rx = (x + 0.5 - cx) / (w / 2.0);
            rx2[x] = (float)(rx * rx);
        }

        for (int y = 0; y < h; y++)
        {
            int row = y * w;
            float projY = (float)((y + 0.5 - h / 2.0) * dy / halfDiag);
            double ryd = (y + 0.5 - cy) / (h / 2.0);
            float ry2 = (float)(ryd * ryd);
            for (int x = 0; x < w; x++)
            {
                float r2 = Math.Min(1f, (rx2[x] + ry2) * 0.5f);
                shade[row + x] *= (1 - gradient * (0.5f + 0.5f * (projX[x] + projY))) * (1 - vignette * r2);
            }
        }
    }

    private static (double X, double Y) RandomUnitVector(ref Xoshiro256 rng)
    {
        while (true)
        {
            double x = rng.NextDouble(-1, 1), y = rng.NextDouble(-1, 1);
            double n2 = x * x + y * y;
            if (n2 > 0.01 && n2 <= 1)
            {
                double n = Math.Sqrt(n2);
                return (x / n, y / n);
            }
        }
    }

    private static void ApplyShade(byte[] px, float[] shade)
    {
        for (int i = 0; i < shade.Length; i++)
        {
            float f = shade[i];
            int o = i * 4;
            px[o] = (byte)Math.Clamp((int)MathF.Round(px[o] * f), 0, 255);
            px[o + 1] = (byte)Math.Clamp((int)MathF.Round(px[o + 1] * f), 0, 255);
            px[o + 2] = (byte)Math.Clamp((int)MathF.Round(px[o + 2] * f), 0, 255);
        }
    }

    /// <summary>Three box passes per axis approximate a Gaussian of the given sigma (Kovesi / "boxes for Gauss"); integer sums keep it exact.</summary>
    internal static void GaussianBlurApprox(byte[] px, int w, int h, double sigma)
    {
        const int passes = 3;
        double ideal = Math.Sqrt(12 * sigma * sigma / passes + 1);
        int wl = (int)Math.Floor(ideal);
        if (wl % 2 == 0)
        {
            wl--;
        }

        int wu = wl + 2;
        int m = (int)Math.Round((12 * sigma * sigma - passes * wl * wl - 4 * passes * wl - 3 * passes) / (-4.0 * wl - 4));
        var tmp = new byte[px.Length];
        for (int p = 0; p < passes; p++)
        {
            int radius = ((p < m ? wl : wu) - 1) / 2;
            if (radius <= 0)
            {
                continue;
            }

            BoxPass(px, tmp, w, h, radius, horizontal: true);
            BoxPass(tmp, px, w, h, radius, horizontal: false);
        }
    }

    private static void BoxPass(byte[] src, byte[] dst, int w, int h, int r, bool horizontal)
    {
        int win = 2 * r + 1;

        // (sum · recip + 2^23) >> 24 ≈ round(sum / win) without a division per pixel.
        long recip = ((1L << 24) + win / 2) / win;
        if (horizontal)
        {
            for (int y = 0; y < h; y++)
            {
                int start = y * w * 4;
                for (int c = 0; c < 3; c++)
                {
                    int b = start + c;
                    int sum = 0;
                    for (int k = -r; k <= r; k++)
                    {
                        sum += src[b + Math.Clamp(k, 0, w - 1) * 4];
                    }

                    for (int i = 0; i < w; i++)
                    {
                        dst[b + i * 4] = (byte)((sum * recip + (1L << 23)) >> 24);
                        int add = i + r + 1 < w ? i + r + 1 : w - 1;
                        int remove = i - r > 0 ? i - r : 0;
                        sum += src[b + add * 4] - src[b + remove * 4];
                    }
                }

                for (int i = 0; i < w; i++)
                {
                    dst[start + 3 + i * 4] = 255;
                }
            }

            return;
        }

        // Vertical: running sums for a whole row of columns, walking down the rows (cache-friendly).
        int stride = w * 4;
        var sums = new int[stride];
        for (int k = -r; k <= r; k++)
        {
            int row = Math.Clamp(k, 0, h - 1) * stride;
            for (int i = 0; i < stride; i++)
            {
                sums[i] += src[row + i];
            }
        }

        for (int y = 0; y < h; y++)
        {
            int o = y * stride;
            int add = Math.Min(y + r + 1, h - 1) * stride, remove = Math.Max(y - r, 0) * stride;
            for (int i = 0; i < stride; i++)
            {
                dst[o + i] = (byte)((sums[i] * recip + (1L << 23)) >> 24);
                sums[i] += src[add + i] - src[remove + i];
            }
        }
    }

    private static void AddNoise(byte[] px, float sigma, ref Xoshiro256 rng)
    {
        // One 64-bit draw per pixel: three 21-bit fields, each the Irwin–Hall sum of three 7-bit uniforms (σ = 64.0), so noise is
        // approximately Gaussian per channel with pure integer randomness.
        float scale = sigma / 64.0f;
        Span<int> offset = stackalloc int[3 * 127 + 1];
        for (int sum = 0; sum < offset.Length; sum++)
        {
            offset[sum] = (int)MathF.Round((sum - 190.5f) * scale);
        }

        Xoshiro256 local = rng; // a register-friendly copy; written back below
        for (int o = 0; o + 3 < px.Length; o += 4)
        {
            ulong r = local.NextUInt64();
            for (int c = 0; c < 3; c++)
            {
                ulong f = r >> (21 * c);
                int v = px[o + c] + offset[(int)(f & 0x7F) + (int)((f >> 7) & 0x7F) + (int)((f >> 14) & 0x7F)];
                px[o + c] = (byte)(v < 0 ? 0 : v > 255 ? 255 : v);
            }
        }

        rng = local;
    }

    private static byte[] JpegRoundTrip(byte[] px, int w, int h, int quality)
    {
        using var ms = new MemoryStream();
        using (var view = Image.WrapMemory<Rgba32>(Configuration.Default, px.AsMemory(), w, h))
        {
            view.SaveAsJpeg(ms, new JpegEncoder { Quality = quality, ColorType = JpegColorType.YCbCrRatio420 });
        }

        ms.Position = 0;
        using var decoded = Image.Load<Rgba32>(ms);
        decoded.CopyPixelDataTo(px);
        return px;
    }

    private static void Validate(PaperEcgAugmentationOptions o)
    {
        Probability(o.RotationProbability, nameof(o.RotationProbability));
        Probability(o.PerspectiveProbability, nameof(o.PerspectiveProbability));
        Probability(o.CreaseProbability, nameof(o.CreaseProbability));
        Probability(o.LightingProbability, nameof(o.LightingProbability));
        Probability(o.BlurProbability, nameof(o.BlurProbability));
        Probability(o.NoiseProbability, nameof(o.NoiseProbability));
        Probability(o.JpegProbability, nameof(o.JpegProbability));
        Range(o.MaxRotationDegrees, 0, 45, nameof(o.MaxRotationDegrees));
        Range(o.MaxPerspective, 0, 0.25, nameof(o.MaxPerspective));
        Range(o.MaxCreases, 1, 20, nameof(o.MaxCreases));
        Range(o.MaxCreaseStrength, 0, 1, nameof(o.MaxCreaseStrength));
        Range(o.MaxLightingStrength, 0, 1, nameof(o.MaxLightingStrength));
        Range(o.MaxBlurSigma, 0, 20, nameof(o.MaxBlurSigma));
        Range(o.MaxNoiseSigma, 0, 128, nameof(o.MaxNoiseSigma));
        Range(o.MinJpegQuality, 1, 100, nameof(o.MinJpegQuality));
        Range(o.MaxJpegQuality, o.MinJpegQuality, 100, nameof(o.MaxJpegQuality));
    }

    private static void Probability(double p, string name) => Range(p, 0, 1, name);

    private static void Range(double value, double min, double max, string name)
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            throw new ArgumentOutOfRangeException("options", value, string.Create(CultureInfo.InvariantCulture, $"{name} must be between {min} and {max} (got {value})."));
        }
    }
}
