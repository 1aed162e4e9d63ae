namespace EcgVision.Internal;

/// <summary>Running median over an odd window with edge replication (SciPy's <c>ndimage.median_filter(mode='nearest')</c>).</summary>
internal static class SlidingMedian
{
    /// <summary>Writes the median of <c>x[i − w/2 .. i + w/2]</c> (indices clamped to the signal) to <c>destination[i]</c>.</summary>
    /// <remarks>Keeps the window sorted and moves one sample in and one out per step: O(n·w) memory moves, no allocation per sample.
    /// The input must be free of NaN (callers check). <paramref name="destination"/> must not overlap <paramref name="x"/>.</remarks>
    public static void Apply(ReadOnlySpan<double> x, int window, Span<double> destination)
    {
        int n = x.Length;
        int half = window / 2;
        var sorted = new double[window];
        for (int k = -half; k <= half; k++)
        {
            sorted[k + half] = x[Math.Clamp(k, 0, n - 1)];
        }

        Array.Sort(sorted);
        destination[0] = sorted[half];
        for (int i = 1; i < n; i++)
        {
            double leaving = x[Math.Clamp(i - half - 1, 0, n - 1)];
            double entering = x[Math.Clamp(i + half, 0, n - 1)];
            if (leaving != entering)
            {
                int at = Array.BinarySearch(sorted, leaving);
                Array.Copy(sorted, at + 1, sorted, at, window - at - 1);
                int insert = Array.BinarySearch(sorted, 0, window - 1, entering);
                if (insert < 0)
                {
                    insert = ~insert;
                }

                Array.Copy(sorted, insert, sorted, insert + 1, window - 1 - insert);
                sorted[insert] = entering;
            }

            destination[i] = sorted[half];
        }
    }
}
