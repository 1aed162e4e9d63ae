using System.Buffers;
using System.Globalization;
using EcgVision.Internal;

namespace EcgVision.Signals.Processing;

/// <summary>How <see cref="BaselineWander"/> estimates the slow baseline drift.</summary>
public enum BaselineWanderMethod
{
    /// <summary>Zero-phase Butterworth high-pass (<c>sosfiltfilt(butter(Order, CutoffHz, 'highpass'))</c>).</summary>
    HighPass,

    /// <summary>Two cascaded running medians (200 ms, then 600 ms by default) estimate the baseline, which is subtracted.</summary>
    MedianFilter,
}

/// <summary>Options for <see cref="BaselineWander.Remove(ReadOnlySpan{float}, double, Span{float}, BaselineWanderOptions?)"/>.</summary>
public sealed record BaselineWanderOptions
{
    /// <summary>The method; default <see cref="BaselineWanderMethod.HighPass"/>.</summary>
    public BaselineWanderMethod Method { get; init; } = BaselineWanderMethod.HighPass;

    /// <summary>High-pass cutoff in Hz (high-pass method); default 0.5 Hz, below the lowest heart rate's fundamental (40 bpm ≈ 0.67 Hz).</summary>
    public double CutoffHz { get; init; } = 0.5;

    /// <summary>Butterworth order (high-pass method); default 2 (order 4 in effect, since the filter runs forwards and backwards).</summary>
    public int Order { get; init; } = 2;

    /// <summary>First median window (median method); default 200 ms, long enough to remove the QRS complex and P wave.</summary>
    public TimeSpan FirstMedianWindow { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Second median window (median method); default 600 ms, long enough to remove the T wave.</summary>
    public TimeSpan SecondMedianWindow { get; init; } = TimeSpan.FromMilliseconds(600);
}

/// <summary>Baseline-wander removal for one ECG lead.</summary>
/// <remarks>
/// <para><see cref="BaselineWanderMethod.HighPass"/>: a zero-phase Butterworth high-pass (<see cref="SecondOrderSections.FilterForwardBackward(ReadOnlySpan{float}, Span{float}, int?)"/>),
/// equivalent to SciPy's <c>sosfiltfilt(butter(2, 0.5, 'highpass', fs=fs, output='sos'), x)</c> by default. Fast and linear; the
/// signal must be longer than the filter's pad length (9 samples for order 2). NaN anywhere makes the whole output NaN.</para>
/// <para><see cref="BaselineWanderMethod.MedianFilter"/>: the baseline is the 600-ms running median of the 200-ms running median of
/// the signal (de Chazal et al., IEEE TBME 2004), and is subtracted. Windows are rounded to an odd number of samples
/// (at least 1) and the signal is extended at each end by repeating its edge sample. Non-linear, keeps ST levels relative to the
/// PR baseline; NaN input is rejected because a median over NaN is undefined.</para>
/// </remarks>
public static class BaselineWander
{
    /// <summary>Removes the baseline wander of <paramref name="signal"/> into <paramref name="destination"/>.</summary>
    /// <param name="signal">One lead, in any unit.</param>
    /// <param name="samplingRate">Sampling rate in Hz.</param>
    /// <param name="destination">Receives the corrected signal; at least <c>signal.Length</c> long; may be the same memory as <paramref name="signal"/>.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults (0.5 Hz high-pass).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samplingRate"/> or an option is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short, the signal is too short for the high-pass filter, or it has NaN (median method).</exception>
    /// <exception cref="NotSupportedException">The method is not a defined <see cref="BaselineWanderMethod"/>.</exception>
    public static void Remove(ReadOnlySpan<float> signal, double samplingRate, Span<float> destination, BaselineWanderOptions? options = null)
    {
        options ??= new BaselineWanderOptions();
        if (!double.IsFinite(samplingRate) || samplingRate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(samplingRate), samplingRate, $"samplingRate must be finite and greater than 0 (got {F(samplingRate)}).");
        }

        if (destination.Length < signal.Length)
        {
            throw new ArgumentException($"destination must hold at least signal.Length ({signal.Length}) samples (got {destination.Length}).", nameof(destination));
        }

        RemoveCore(signal, samplingRate, destination, options, Prepare(options, samplingRate));
    }

    /// <summary>Removes the baseline wander of <paramref name="signal"/> into a new array.</summary>
    /// <param name="signal">One lead.</param>
    /// <param name="samplingRate">Sampling rate in Hz.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    /// <returns>The corrected signal.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samplingRate"/> or an option is out of range.</exception>
    /// <exception cref="ArgumentException">The signal is too short for the high-pass filter, or has NaN (median method).</exception>
    public static float[] Remove(ReadOnlySpan<float> signal, double samplingRate, BaselineWanderOptions? options = null)
    {
        var result = new float[signal.Length];
        Remove(signal, samplingRate, result, options);
        return result;
    }

    /// <summary>Validates the options for a sampling rate and designs the high-pass filter when that method is chosen.</summary>
    internal static SecondOrderSections? Prepare(BaselineWanderOptions options, double samplingRate)
    {
        switch (options.Method)
        {
            case BaselineWanderMethod.HighPass:
                return CreateHighPass(options, samplingRate);
            case BaselineWanderMethod.MedianFilter:
                ValidateMedianWindows(options, samplingRate);
                return null;
            default:
                throw new NotSupportedException($"options.Method {(int)options.Method} is not a supported BaselineWanderMethod.");
        }
    }

    /// <summary>Removes the wander with options already checked by <see cref="Prepare"/> (<paramref name="highPass"/> is its result).</summary>
    internal static void RemoveCore(ReadOnlySpan<float> signal, double samplingRate, Span<float> destination, BaselineWanderOptions options, SecondOrderSections? highPass)
    {
        if (highPass is not null)
        {
            highPass.FilterForwardBackward(signal, destination);
        }
        else
        {
            RemoveWithMedians(signal, samplingRate, destination, options);
        }
    }

    private static SecondOrderSections CreateHighPass(BaselineWanderOptions options, double samplingRate)
    {
        if (!(options.CutoffHz > 0 && options.CutoffHz < samplingRate / 2))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.CutoffHz,
                $"options.CutoffHz must be between 0 and the Nyquist frequency {F(samplingRate / 2)} Hz, exclusive (got {F(options.CutoffHz)}).");
        }

        if (options.Order < 1 || options.Order > Butterworth.MaxOrder)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Order, $"options.Order must be between 1 and {Butterworth.MaxOrder} (got {options.Order}).");
        }

        return Butterworth.HighPass(options.Order, options.CutoffHz, samplingRate);
    }

    private static (int First, int Second) ValidateMedianWindows(BaselineWanderOptions options, double samplingRate)
    {
        int first = WindowSamples(nameof(options.FirstMedianWindow), options.FirstMedianWindow, samplingRate);
        int second = WindowSamples(nameof(options.SecondMedianWindow), options.SecondMedianWindow, samplingRate);
        return (first, second);
    }

    private static int WindowSamples(string name, TimeSpan window, double samplingRate)
    {
        if (window <= TimeSpan.Zero || window > TimeSpan.FromSeconds(10))
        {
            throw new ArgumentOutOfRangeException("options", window, $"options.{name} must be between 0 and 10 s, exclusive of 0 (got {window.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms).");
        }

        int samples = Math.Max(1, (int)Math.Round(window.TotalSeconds * samplingRate));
        return samples % 2 == 0 ? samples + 1 : samples;
    }

    private static void RemoveWithMedians(ReadOnlySpan<float> signal, double samplingRate, Span<float> destination, BaselineWanderOptions options)
    {
        (int first, int second) = ValidateMedianWindows(options, samplingRate);
        for (int i = 0; i < signal.Length; i++)
        {
            if (float.IsNaN(signal[i]))
            {
                throw new ArgumentException($"signal has NaN at sample {i}; the median method needs complete data (interpolate missing samples first).", nameof(signal));
            }
        }

        if (signal.IsEmpty)
        {
            return;
        }

        int n = signal.Length;
        double[] buffer = ArrayPool<double>.Shared.Rent(3 * n);
        try
        {
            Span<double> x = buffer.AsSpan(0, n), stage1 = buffer.AsSpan(n, n), baseline = buffer.AsSpan(2 * n, n);
            for (int i = 0; i < n; i++)
            {
                x[i] = signal[i];
            }

            SlidingMedian.Apply(x, first, stage1);
            SlidingMedian.Apply(stage1, second, baseline);
            for (int i = 0; i < n; i++)
            {
                destination[i] = (float)(x[i] - baseline[i]);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    private static string F(double value) => value.ToString(CultureInfo.InvariantCulture);
}
