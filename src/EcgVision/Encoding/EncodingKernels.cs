using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EcgVision.Encoding;

/// <summary>Shared validation and SIMD kernels of the encoders.</summary>
internal static class EncodingKernels
{
    /// <summary>Throws naming <paramref name="paramName"/> and the first index when a sample is NaN or infinite.</summary>
    public static void ThrowIfNotFinite(ReadOnlySpan<float> signal, string paramName = "signal")
    {
        if (signal.IsEmpty)
        {
            throw new ArgumentException("The signal must contain at least 1 sample (got 0).", paramName);
        }

        // Min/Max propagate NaN and expose ±∞, so one vectorised pass settles the common case.
        float min = TensorPrimitives.Min(signal);
        float max = TensorPrimitives.Max(signal);
        if (float.IsFinite(min) && float.IsFinite(max))
        {
            return;
        }

        for (int i = 0; i < signal.Length; i++)
        {
            if (!float.IsFinite(signal[i]))
            {
                throw new ArgumentException(
                    $"{paramName} must contain only finite samples, but {paramName}[{i}] is {signal[i].ToString(CultureInfo.InvariantCulture)}.", paramName);
            }
        }
    }

    /// <summary>Throws with paramName <c>destination</c> when it is shorter than <paramref name="required"/>.</summary>
    /// <remarks>The description is a composite format over <paramref name="a"/>…<paramref name="c"/>, formatted only when throwing, so the happy path allocates nothing.</remarks>
    public static void ThrowIfDestinationTooShort(int destinationLength, int required, string whatFormat, int a = 0, int b = 0, int c = 0)
    {
        if (destinationLength < required)
        {
            string what = string.Format(CultureInfo.InvariantCulture, whatFormat, a, b, c);
            throw new ArgumentException($"destination must hold at least {required} elements ({what}) (got {destinationLength}).", "destination");
        }
    }

    /// <summary>pyts <c>segmentation(n, ceil(n/segments), overlapping, segments)</c>: the window bounds used by PAA and the MTF block means.</summary>
    /// <remarks>
    /// Bounds come from numpy's <c>linspace(...).astype(int64)</c>, i.e. <c>trunc(k × (stop / num))</c>; they are reproduced
    /// bit-for-bit here (same product, same truncation) so that segment edges match pyts exactly.
    /// </remarks>
    public static void Segment(int length, int segments, bool overlapping, Span<int> start, Span<int> end)
    {
        if (!overlapping)
        {
            double step = (double)length / segments;
            int previous = 0;
            for (int k = 0; k < segments; k++)
            {
                int next = k + 1 == segments ? length : (int)((k + 1) * step);
                start[k] = previous;
                end[k] = next;
                previous = next;
            }

            return;
        }

        int window = length / segments + (length % segments != 0 ? 1 : 0);
        int totalOverlap = segments * window - length;
        int gaps = segments - 1;
        double overlapStep = gaps > 0 ? (double)totalOverlap / gaps : 0;
        for (int k = 0; k < segments; k++)
        {
            int overlap = gaps == 0 ? 0 : k == gaps ? totalOverlap : (int)(k * overlapStep);
            start[k] = k * window - overlap;
            end[k] = (k + 1) * window - overlap;
        }
    }

    /// <summary>Means of <paramref name="signal"/> over the segments (double accumulation, like numpy's mean).</summary>
    public static void SegmentMeans(ReadOnlySpan<float> signal, ReadOnlySpan<int> start, ReadOnlySpan<int> end, Span<double> destination)
    {
        for (int k = 0; k < start.Length; k++)
        {
            double sum = 0;
            for (int i = start[k]; i < end[k]; i++)
            {
                sum += signal[i];
            }

            destination[k] = sum / (end[k] - start[k]);
        }
    }

    /// <summary><c>destination[j] = clamp(a·x[j] − b·y[j], −1, 1)</c>: one row of a Gramian angular field.</summary>
    public static void ScaledDifferenceClamped(float a, ReadOnlySpan<float> x, float b, ReadOnlySpan<float> y, Span<float> destination)
    {
        int n = destination.Length;
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float py = ref MemoryMarshal.GetReference(y);
        ref float pd = ref MemoryMarshal.GetReference(destination);
        int j = 0;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            var va = Vector256.Create(a);
            var vb = Vector256.Create(b);
            var one = Vector256.Create(1f);
            var minusOne = Vector256.Create(-1f);
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                // Deliberately not fused: rounding both products keeps GASF exactly symmetric and GADF exactly antisymmetric (zero diagonal).
                var v = va * Vector256.LoadUnsafe(ref px, (nuint)j) - vb * Vector256.LoadUnsafe(ref py, (nuint)j);
                Vector256.Min(Vector256.Max(v, minusOne), one).StoreUnsafe(ref pd, (nuint)j);
            }
        }

        for (; j < n; j++)
        {
            float v = a * Unsafe.Add(ref px, j) - b * Unsafe.Add(ref py, j);
            Unsafe.Add(ref pd, j) = Math.Clamp(v, -1f, 1f);
        }
    }

    /// <summary><c>destination[j] = min(|x[j] − c|, cap)</c>.</summary>
    public static void AbsoluteDifference(ReadOnlySpan<float> x, float c, float cap, Span<float> destination)
    {
        int n = destination.Length;
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float pd = ref MemoryMarshal.GetReference(destination);
        int j = 0;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            var vc = Vector256.Create(c);
            var vcap = Vector256.Create(cap);
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                Vector256.Min(Vector256.Abs(Vector256.LoadUnsafe(ref px, (nuint)j) - vc), vcap).StoreUnsafe(ref pd, (nuint)j);
            }
        }

        for (; j < n; j++)
        {
            Unsafe.Add(ref pd, j) = MathF.Min(MathF.Abs(Unsafe.Add(ref px, j) - c), cap);
        }
    }

    /// <summary><c>accumulator[j] += (x[j] − c)²</c>.</summary>
    public static void AddSquaredDifference(ReadOnlySpan<float> x, float c, Span<float> accumulator)
    {
        int n = accumulator.Length;
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float pa = ref MemoryMarshal.GetReference(accumulator);
        int j = 0;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            var vc = Vector256.Create(c);
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var d = Vector256.LoadUnsafe(ref px, (nuint)j) - vc;
                (Vector256.LoadUnsafe(ref pa, (nuint)j) + d * d).StoreUnsafe(ref pa, (nuint)j);
            }
        }

        for (; j < n; j++)
        {
            float d = Unsafe.Add(ref px, j) - c;
            Unsafe.Add(ref pa, j) += d * d;
        }
    }

    /// <summary>
    /// <c>destination[j] = Σ_b weights[b] · rows[b, j]</c> for <paramref name="rowCount"/> rows of length <c>destination.Length</c>
    /// stored contiguously (row stride = destination length), capped at 1: one image row of the MTF block means, whose
    /// exact values never exceed 1 (the cap only removes float rounding).
    /// </summary>
    public static void WeightedRowSum(ReadOnlySpan<float> weights, ReadOnlySpan<float> rows, int rowCount, Span<float> destination)
    {
        int n = destination.Length;
        ref float pr = ref MemoryMarshal.GetReference(rows);
        ref float pd = ref MemoryMarshal.GetReference(destination);
        int j = 0;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var acc = Vector256<float>.Zero;
                for (int b = 0; b < rowCount; b++)
                {
                    float w = weights[b];
                    if (w != 0)
                    {
                        acc += Vector256.Create(w) * Vector256.LoadUnsafe(ref pr, (nuint)(b * n + j));
                    }
                }

                Vector256.Min(acc, Vector256<float>.One).StoreUnsafe(ref pd, (nuint)j);
            }
        }

        for (; j < n; j++)
        {
            float acc = 0;
            for (int b = 0; b < rowCount; b++)
            {
                acc += weights[b] * Unsafe.Add(ref pr, b * n + j);
            }

            Unsafe.Add(ref pd, j) = MathF.Min(acc, 1f);
        }
    }

    /// <summary>numpy's <c>percentile(values, q)</c> with the default linear method, on an already sorted span.</summary>
    public static double PercentileOfSorted(ReadOnlySpan<float> sorted, double quantile)
    {
        double virtualIndex = (sorted.Length - 1) * quantile;
        double lower = Math.Floor(virtualIndex);
        int lo = (int)lower;
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return Lerp(sorted[lo], sorted[hi], virtualIndex - lower);
    }

    /// <summary>numpy 1.24's <c>_lerp</c>: <c>a + (b−a)t</c>, evaluated from <c>b</c> when <c>t ≥ 0.5</c>.</summary>
    public static double Lerp(double a, double b, double t)
    {
        double diff = b - a;
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
    }

    /// <summary>The <paramref name="k"/>-th smallest value (0-based); reorders <paramref name="values"/>.</summary>
    public static float Select(Span<float> values, int k)
    {
        int lo = 0, hi = values.Length - 1;
        while (hi > lo)
        {
            // Median of three keeps the expected cost linear on the (often structured) distance matrices.
            int mid = lo + ((hi - lo) >> 1);
            if (values[mid] < values[lo]) (values[mid], values[lo]) = (values[lo], values[mid]);
            if (values[hi] < values[lo]) (values[hi], values[lo]) = (values[lo], values[hi]);
            if (values[hi] < values[mid]) (values[hi], values[mid]) = (values[mid], values[hi]);
            float pivot = values[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i] < pivot) i++;
                while (values[j] > pivot) j--;
                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return values[k];
        }

        return values[k];
    }

    /// <summary>The standard normal quantile function Φ⁻¹(p) for p in (0, 1), accurate to about 1e-13.</summary>
    /// <remarks>Newton iterations on Φ computed from its everywhere-convergent Taylor series; no tabulated coefficients.</remarks>
    public static double NormalQuantile(double p)
    {
        if (p == 0.5)
        {
            return 0;
        }

        double x = 0;
        for (int iteration = 0; iteration < 100; iteration++)
        {
            double density = Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);
            double step = (NormalCdf(x) - p) / density;
            x -= Math.Clamp(step, -1, 1);
            if (Math.Abs(step) < 1e-15 * Math.Max(1, Math.Abs(x)))
            {
                break;
            }
        }

        return x;
    }

    private static double NormalCdf(double x)
    {
        // Φ(x) = 1/2 + φ(x) Σ x^(2k+1) / (1·3·5···(2k+1)); all terms share x's sign, so there is no cancellation inside the sum.
        double term = x, sum = x, x2 = x * x;
        for (int k = 1; k < 2000; k++)
        {
            term *= x2 / (2 * k + 1);
            sum += term;
            if (Math.Abs(term) < 1e-17 * Math.Abs(sum))
            {
                break;
            }
        }

        return 0.5 + Math.Exp(-0.5 * x2) / Math.Sqrt(2 * Math.PI) * sum;
    }
}
