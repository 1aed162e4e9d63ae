namespace EcgVision.Encoding;

/// <summary>Image resampling for <c>[C, H, W]</c> float tensors.</summary>
public static class ImageResize
{
    /// <summary>
    /// Bilinear resize of every channel, with PyTorch's <c>F.interpolate(mode='bilinear', align_corners=False)</c>
    /// semantics (no antialiasing).
    /// </summary>
    /// <remarks>
    /// For each axis, with <c>scale = inSize / outSize</c> (float32), output index <c>d</c> samples the source at
    /// <c>s = max(scale·(d + 0.5) − 0.5, 0)</c>, between <c>⌊s⌋</c> and <c>min(⌊s⌋ + 1, inSize − 1)</c> with weight
    /// <c>s − ⌊s⌋</c> on the latter. Downscaling by more than 2 therefore skips pixels (aliasing), exactly as torch does
    /// without <c>antialias=True</c>. Values stay within the source's range.
    /// </remarks>
    /// <param name="source">The source, <c>[channels, height, width]</c> row-major.</param>
    /// <param name="channels">Number of channels, at least 1.</param>
    /// <param name="height">Source height, at least 1.</param>
    /// <param name="width">Source width, at least 1.</param>
    /// <param name="destination">Receives <c>[channels, outHeight, outWidth]</c> row-major.</param>
    /// <param name="outHeight">Output height, at least 1.</param>
    /// <param name="outWidth">Output width, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="source"/> is shorter than <c>channels × height × width</c>, or <paramref name="destination"/> is too short.</exception>
    public static void Bilinear(ReadOnlySpan<float> source, int channels, int height, int width, Span<float> destination, int outHeight, int outWidth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outWidth, 1);
        long sourceLength = (long)channels * height * width;
        if (source.Length < sourceLength)
        {
            throw new ArgumentException($"source must hold channels × height × width = {sourceLength} elements (got {source.Length}).", nameof(source));
        }

        long required = (long)channels * outHeight * outWidth;
        EncodingKernels.ThrowIfDestinationTooShort(destination.Length, (int)Math.Min(required, int.MaxValue), "[{0}, {1}, {2}]", channels, outHeight, outWidth);

        Span<int> x0 = outWidth <= 1024 ? stackalloc int[outWidth] : new int[outWidth];
        Span<int> x1 = outWidth <= 1024 ? stackalloc int[outWidth] : new int[outWidth];
        Span<float> wx1 = outWidth <= 1024 ? stackalloc float[outWidth] : new float[outWidth];
        Weights(width, outWidth, x0, x1, wx1);

        Span<int> y0 = outHeight <= 1024 ? stackalloc int[outHeight] : new int[outHeight];
        Span<int> y1 = outHeight <= 1024 ? stackalloc int[outHeight] : new int[outHeight];
        Span<float> wy1 = outHeight <= 1024 ? stackalloc float[outHeight] : new float[outHeight];
        Weights(height, outHeight, y0, y1, wy1);

        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<float> plane = source.Slice(c * height * width, height * width);
            Span<float> output = destination.Slice(c * outHeight * outWidth, outHeight * outWidth);
            for (int oy = 0; oy < outHeight; oy++)
            {
                ReadOnlySpan<float> top = plane.Slice(y0[oy] * width, width);
                ReadOnlySpan<float> bottom = plane.Slice(y1[oy] * width, width);
                float b = wy1[oy], a = 1f - b;
                Span<float> row = output.Slice(oy * outWidth, outWidth);
                for (int ox = 0; ox < outWidth; ox++)
                {
                    float r = wx1[ox], l = 1f - r;
                    int i0 = x0[ox], i1 = x1[ox];
                    // Same association as torch's separable kernel: height weights outside, width weights inside.
                    row[ox] = ((top[i0] * l) + (top[i1] * r)) * a + ((bottom[i0] * l) + (bottom[i1] * r)) * b;
                }
            }
        }
    }

    /// <summary>Resizes a <c>[C, H, W]</c> tensor into a new array.</summary>
    /// <param name="source">The source, <c>[channels, height, width]</c> row-major.</param>
    /// <param name="channels">Number of channels.</param>
    /// <param name="height">Source height.</param>
    /// <param name="width">Source width.</param>
    /// <param name="outHeight">Output height.</param>
    /// <param name="outWidth">Output width.</param>
    /// <returns>A fresh <c>[channels, outHeight, outWidth]</c> array.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="source"/> is too short.</exception>
    public static float[] Bilinear(ReadOnlySpan<float> source, int channels, int height, int width, int outHeight, int outWidth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outWidth, 1);
        var result = new float[checked(channels * outHeight * outWidth)];
        Bilinear(source, channels, height, width, result, outHeight, outWidth);
        return result;
    }

    private static void Weights(int inSize, int outSize, Span<int> index0, Span<int> index1, Span<float> weight1)
    {
        float scale = (float)inSize / outSize;
        for (int d = 0; d < outSize; d++)
        {
            float s = scale * (d + 0.5f) - 0.5f;
            if (s < 0)
            {
                s = 0;
            }

            int i0 = (int)s;
            index0[d] = i0;
            index1[d] = i0 < inSize - 1 ? i0 + 1 : i0;
            weight1[d] = Math.Clamp(s - i0, 0f, 1f);
        }
    }
}
