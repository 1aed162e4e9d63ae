using System.Globalization;
using EcgVision.Imaging.Internal;
using EcgVision.Internal;

namespace EcgVision.Imaging.Io;

/// <summary>Saves <c>[C, H, W]</c> float images (encoder outputs such as GAF, MTF, recurrence plots, loaded photos) as PNG or <c>.npy</c>.</summary>
/// <remarks>All file writes are atomic (temporary file, flush, rename). See <see cref="EcgImagePngOptions"/> for the value mapping.</remarks>
public static class EcgImageWriter
{
    /// <summary>Saves a <c>[C, H, W]</c> float image as an 8-bit RGB PNG, atomically.</summary>
    /// <param name="chw">The values, channel-major then row-major, length <c>C·H·W</c>.</param>
    /// <param name="channels">1 (drawn through viridis or grey) or 3 (drawn as R, G, B).</param>
    /// <param name="height">Image height in pixels (at least 1).</param>
    /// <param name="width">Image width in pixels (at least 1).</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="options">The value mapping; <see langword="null"/> for per-channel min–max and viridis.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or the data length does not match the shape, or Min/Max are inconsistent.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The channel count is not 1 or 3, or a size is below 1.</exception>
    public static void SavePng(ReadOnlySpan<float> chw, int channels, int height, int width, string path, EcgImagePngOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] rgb = ToRgb(chw, channels, height, width, options);
        AtomicFile.Write(path, s => PngEncoding.WriteRgb(rgb, width, height, s));
    }

    /// <summary>Writes a <c>[C, H, W]</c> float image as an 8-bit RGB PNG to a stream.</summary>
    /// <param name="chw">The values, length <c>C·H·W</c>.</param>
    /// <param name="channels">1 or 3.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="destination">The stream; left open.</param>
    /// <param name="options">The value mapping; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The data length does not match the shape, or Min/Max are inconsistent.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The channel count is not 1 or 3, or a size is below 1.</exception>
    public static void WritePng(ReadOnlySpan<float> chw, int channels, int height, int width, Stream destination, EcgImagePngOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        byte[] rgb = ToRgb(chw, channels, height, width, options);
        PngEncoding.WriteRgb(rgb, width, height, destination);
    }

    /// <summary>Saves a <c>[C, H, W]</c> float image as a float32 <c>.npy</c> file of shape <c>(C, H, W)</c>, atomically.</summary>
    /// <param name="chw">The values, length <c>C·H·W</c>.</param>
    /// <param name="channels">Channel count (at least 1).</param>
    /// <param name="height">Height (at least 1).</param>
    /// <param name="width">Width (at least 1).</param>
    /// <param name="path">The <c>.npy</c> file to write.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or the data length does not match the shape.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public static void SaveNpy(ReadOnlySpan<float> chw, int channels, int height, int width, string path)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        CheckShape(chw.Length, channels, height, width);
        NpyWriter.Save(path, chw, channels, height, width);
    }

    /// <summary>Maps the values to interleaved 8-bit RGB (H·W·3 bytes).</summary>
    internal static byte[] ToRgb(ReadOnlySpan<float> chw, int channels, int height, int width, EcgImagePngOptions? options)
    {
        options ??= new EcgImagePngOptions();
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, $"channels must be 1 or 3 (got {channels}).");
        }

        CheckShape(chw.Length, channels, height, width);
        if (options.Min.HasValue != options.Max.HasValue)
        {
            throw new ArgumentException("Min and Max must be given together or both left null.", nameof(options));
        }

        if (options.Min is float lo && options.Max is float hi && !(float.IsFinite(lo) && float.IsFinite(hi) && lo < hi))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Min must be finite and less than Max (got Min = {lo}, Max = {hi})."), nameof(options));
        }

        int plane = height * width;
        var rgb = new byte[plane * 3];
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<float> p = chw.Slice(c * plane, plane);
            (float min, float max) = options.Min is float fixedMin ? (fixedMin, options.Max!.Value) : FiniteRange(p);
            float scale = max > min ? 255f / (max - min) : 0f;
            for (int i = 0; i < plane; i++)
            {
                float v = p[i];
                if (!float.IsFinite(v))
                {
                    // NaN/±∞ are drawn black in every channel (rgb is zero-initialised).
                    if (channels == 1)
                    {
                        continue;
                    }

                    rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = 0;
                    continue;
                }

                int level = (int)MathF.Round(Math.Clamp((v - min) * scale, 0f, 255f));
                if (channels == 3)
                {
                    rgb[i * 3 + c] = (byte)level;
                }
                else if (options.UseColormap)
                {
                    ReadOnlySpan<byte> table = Viridis.Table;
                    rgb[i * 3] = table[level * 3];
                    rgb[i * 3 + 1] = table[level * 3 + 1];
                    rgb[i * 3 + 2] = table[level * 3 + 2];
                }
                else
                {
                    rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = (byte)level;
                }
            }
        }

        if (channels == 3)
        {
            // A non-finite value in any channel blackens the whole pixel.
            for (int c = 0; c < 3; c++)
            {
                ReadOnlySpan<float> p = chw.Slice(c * plane, plane);
                for (int i = 0; i < plane; i++)
                {
                    if (!float.IsFinite(p[i]))
                    {
                        rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = 0;
                    }
                }
            }
        }

        return rgb;
    }

    private static (float Min, float Max) FiniteRange(ReadOnlySpan<float> p)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in p)
        {
            if (float.IsFinite(v))
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }

        return min <= max ? (min, max) : (0f, 0f);
    }

    private static void CheckShape(int length, int channels, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        long expected = (long)channels * height * width;
        if (expected != length)
        {
            throw new ArgumentException($"chw must hold channels × height × width = {channels} × {height} × {width} = {expected} values (got {length}).", "chw");
        }
    }
}
