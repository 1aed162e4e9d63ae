using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;

namespace EcgVision.Signals.Processing;

/// <summary>Polyphase rational resampling with the semantics of <c>scipy.signal.resample_poly</c> (default window and padding).</summary>
/// <remarks>
/// The rate change is the reduced fraction <c>up/down</c> (e.g. 500 Hz → 100 Hz is 1/5, 360 Hz → 500 Hz is 25/18). The signal is
/// conceptually upsampled by <c>up</c> (zeros inserted), low-pass filtered with a linear-phase FIR and downsampled by <c>down</c>.
/// The FIR is designed as SciPy's <c>firwin(2·10·max(up, down) + 1, 1/max(up, down), window=('kaiser', 5.0))</c>, scaled by
/// <c>up</c>; samples beyond the ends count as zero (<c>padtype='constant'</c>), so the first and last ~10 input samples are
/// attenuated towards zero when the signal has a DC offset, exactly as in SciPy. The output has
/// <c>⌈length·up/down⌉</c> samples and sample <c>i</c> lies at input time <c>i·down/up</c>.
/// Arithmetic is double precision (SciPy uses the input's dtype for the filter taps); outputs match SciPy's float64 results
/// within 1e-9 (tested). NaN propagates to the outputs within the filter's reach.
/// </remarks>
public static class Resampler
{
    /// <summary>The largest supported <c>up</c> or <c>down</c> factor after reduction.</summary>
    public const int MaxFactor = 1000;

    /// <summary>Resamples from one sampling rate to another.</summary>
    /// <param name="x">The input samples.</param>
    /// <param name="fromRate">The input sampling rate in Hz.</param>
    /// <param name="toRate">The output sampling rate in Hz.</param>
    /// <returns>A new array of <see cref="GetOutputLength(int, int, int)"/> samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A rate is not finite and positive, or the rates do not reduce to factors up to <see cref="MaxFactor"/>.</exception>
    public static float[] Resample(ReadOnlySpan<float> x, double fromRate, double toRate)
    {
        (int up, int down) = GetRatio(fromRate, toRate);
        return ResamplePoly(x, up, down);
    }

    /// <summary>Resamples by the rational factor <paramref name="up"/>/<paramref name="down"/> (<c>resample_poly(x, up, down)</c>).</summary>
    /// <param name="x">The input samples.</param>
    /// <param name="up">Upsampling factor, 1 or more.</param>
    /// <param name="down">Downsampling factor, 1 or more.</param>
    /// <returns>A new array of <see cref="GetOutputLength(int, int, int)"/> samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A factor is out of range.</exception>
    public static float[] ResamplePoly(ReadOnlySpan<float> x, int up, int down)
    {
        var result = new float[GetOutputLength(x.Length, up, down)];
        ResamplePoly(x, up, down, result);
        return result;
    }

    /// <summary>Resamples by <paramref name="up"/>/<paramref name="down"/> into <paramref name="destination"/>.</summary>
    /// <param name="x">The input samples.</param>
    /// <param name="up">Upsampling factor, 1 or more.</param>
    /// <param name="down">Downsampling factor, 1 or more.</param>
    /// <param name="destination">At least <see cref="GetOutputLength(int, int, int)"/> samples; must not overlap <paramref name="x"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A factor is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public static void ResamplePoly(ReadOnlySpan<float> x, int up, int down, Span<float> destination) =>
        new PolyphaseFilter(up, down).Apply(x, destination);

    /// <summary>Resamples double-precision samples by <paramref name="up"/>/<paramref name="down"/>.</summary>
    /// <param name="x">The input samples.</param>
    /// <param name="up">Upsampling factor, 1 or more.</param>
    /// <param name="down">Downsampling factor, 1 or more.</param>
    /// <returns>A new array of <see cref="GetOutputLength(int, int, int)"/> samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A factor is out of range.</exception>
    public static double[] ResamplePoly(ReadOnlySpan<double> x, int up, int down)
    {
        var result = new double[GetOutputLength(x.Length, up, down)];
        new PolyphaseFilter(up, down).Apply(x, result.AsSpan());
        return result;
    }

    /// <summary>The output length <c>⌈inputLength·up/down⌉</c> for the reduced factors.</summary>
    /// <param name="inputLength">Input samples, 0 or more.</param>
    /// <param name="up">Upsampling factor, 1 or more.</param>
    /// <param name="down">Downsampling factor, 1 or more.</param>
    /// <returns>The number of output samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static int GetOutputLength(int inputLength, int up, int down)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        ValidateFactors(up, down);
        long total = (long)inputLength * up;
        return checked((int)((total + down - 1) / down));
    }

    /// <summary>The reduced factors <c>(up, down)</c> with <c>up/down = toRate/fromRate</c>.</summary>
    /// <param name="fromRate">Input rate in Hz; finite, positive, with at most 6 decimals.</param>
    /// <param name="toRate">Output rate in Hz; finite, positive, with at most 6 decimals.</param>
    /// <returns>The factors, each between 1 and <see cref="MaxFactor"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A rate is invalid, or the reduced ratio needs a factor above <see cref="MaxFactor"/>.</exception>
    public static (int Up, int Down) GetRatio(double fromRate, double toRate)
    {
        ValidateRate(nameof(fromRate), fromRate);
        ValidateRate(nameof(toRate), toRate);
        for (double scale = 1; scale <= 1e6; scale *= 10)
        {
            double a = fromRate * scale, b = toRate * scale;
            double ra = Math.Round(a), rb = Math.Round(b);
            if (Math.Abs(a - ra) <= 1e-9 * a && Math.Abs(b - rb) <= 1e-9 * b && ra < 1e15 && rb < 1e15)
            {
                var from = new BigInteger(ra);
                var to = new BigInteger(rb);
                BigInteger g = BigInteger.GreatestCommonDivisor(from, to);
                BigInteger up = to / g, down = from / g;
                if (up > MaxFactor || down > MaxFactor)
                {
                    break;
                }

                return ((int)up, (int)down);
            }
        }

        throw new ArgumentOutOfRangeException(nameof(toRate), toRate,
            $"toRate/fromRate ({F(toRate)}/{F(fromRate)}) must reduce to a fraction up/down with up and down at most {MaxFactor}.");
    }

    internal static void ValidateFactors(int up, int down)
    {
        if (up < 1 || up > MaxFactor)
        {
            throw new ArgumentOutOfRangeException(nameof(up), up, $"up must be between 1 and {MaxFactor} (got {up}).");
        }

        if (down < 1 || down > MaxFactor)
        {
            throw new ArgumentOutOfRangeException(nameof(down), down, $"down must be between 1 and {MaxFactor} (got {down}).");
        }
    }

    private static void ValidateRate(string name, double rate)
    {
        if (!double.IsFinite(rate) || rate <= 0)
        {
            throw new ArgumentOutOfRangeException(name, rate, $"{name} must be finite and greater than 0 (got {F(rate)}).");
        }
    }

    private static string F(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The resample_poly FIR for one reduced ratio; reusable across leads.</summary>
    internal sealed class PolyphaseFilter
    {
        private readonly double[] _h;
        private readonly int _up;
        private readonly int _down;
        private readonly int _halfLength;
        private readonly double[][] _branches = [];

        public PolyphaseFilter(int up, int down)
        {
            ValidateFactors(up, down);
            int g = (int)BigInteger.GreatestCommonDivisor(up, down);
            _up = up / g;
            _down = down / g;
            if (_up == 1 && _down == 1)
            {
                _h = [];
                return;
            }

            int maxRate = Math.Max(_up, _down);
            _halfLength = 10 * maxRate;
            _h = FirWinKaiser((2 * _halfLength) + 1, 1.0 / maxRate, 5.0);
            for (int i = 0; i < _h.Length; i++)
            {
                _h[i] *= _up;
            }

            _branches = new double[_up][];
            for (int phase = 0; phase < _up; phase++)
            {
                int count = ((_h.Length - 1 - phase) / _up) + 1;
                var branch = new double[count];
                for (int m = 0; m < count; m++)
                {
                    branch[count - 1 - m] = _h[phase + (m * _up)];
                }

                _branches[phase] = branch;
            }
        }

        public int OutputLength(int inputLength) => (int)((((long)inputLength * _up) + _down - 1) / _down);

        public void Apply(ReadOnlySpan<float> x, Span<float> destination)
        {
            int n = OutputLength(x.Length);
            CheckDestination(n, destination.Length);
            if (_h.Length == 0)
            {
                x.CopyTo(destination);
                return;
            }

            double[] input = ArrayPool<double>.Shared.Rent(x.Length);
            try
            {
                for (int i = 0; i < x.Length; i++)
                {
                    input[i] = x[i];
                }

                ReadOnlySpan<double> xd = input.AsSpan(0, x.Length);
                for (int i = 0; i < n; i++)
                {
                    destination[i] = (float)OutputSample(xd, i);
                }
            }
            finally
            {
                ArrayPool<double>.Shared.Return(input);
            }
        }

        public void Apply(ReadOnlySpan<double> x, Span<double> destination)
        {
            int n = OutputLength(x.Length);
            CheckDestination(n, destination.Length);
            if (_h.Length == 0)
            {
                x.CopyTo(destination);
                return;
            }

            for (int i = 0; i < n; i++)
            {
                destination[i] = OutputSample(x, i);
            }
        }

        private static void CheckDestination(int needed, int length)
        {
            if (length < needed)
            {
                throw new ArgumentException($"destination must hold at least {needed} samples (got {length}).", "destination");
            }
        }

        // y[i] = Σ_j h[halfLength + i·down − j·up] · x[j]: upfirdn's output after SciPy's pre-pad/pre-remove bookkeeping,
        // which puts the filter's centre tap on input time i·down/up; x is zero outside its range. The taps that meet input
        // samples form one polyphase branch (phase = t mod up), stored reversed so the sum is a contiguous dot product.
        private double OutputSample(ReadOnlySpan<double> x, int i)
        {
            long t = _halfLength + ((long)i * _down);
            int phase = (int)(t % _up);
            double[] branch = _branches[phase];
            long j0 = (t - phase) / _up;                 // input index that meets tap h[phase]
            long first = j0 - branch.Length + 1;         // input index that meets the last tap of the branch
            int skip = (int)Math.Max(0, -first);
            int end = (int)Math.Min(branch.Length, x.Length - first);
            if (end <= skip)
            {
                return 0;
            }

            return TensorPrimitives.Dot(branch.AsSpan(skip, end - skip), x.Slice((int)(first + skip), end - skip));
        }

        // scipy.signal.firwin(numtaps, cutoff, window=('kaiser', beta)) for a low-pass with scale=True (unit DC gain).
        private static double[] FirWinKaiser(int numtaps, double cutoff, double beta)
        {
            var h = new double[numtaps];
            double alpha = 0.5 * (numtaps - 1);
            double i0Beta = BesselI0(beta);
            double sum = 0;
            for (int n = 0; n < numtaps; n++)
            {
                double m = n - alpha;
                double y = Math.PI * (cutoff * m == 0 ? 1e-20 : cutoff * m);
                double sinc = Math.Sin(y) / y;
                double r = (n - alpha) / alpha;
                double window = BesselI0(beta * Math.Sqrt(1 - (r * r))) / i0Beta;
                h[n] = cutoff * sinc * window;
                sum += h[n];
            }

            for (int n = 0; n < numtaps; n++)
            {
                h[n] /= sum;
            }

            return h;
        }

        // Modified Bessel function of the first kind, order 0, by its power series (converges to full precision for the
        // small arguments a Kaiser window with beta = 5 needs).
        private static double BesselI0(double x)
        {
            double term = 1, sum = 1, q = x * x / 4;
            for (int k = 1; k < 200; k++)
            {
                term *= q / ((double)k * k);
                sum += term;
                if (term < sum * 1e-17)
                {
                    break;
                }
            }

            return sum;
        }
    }
}
