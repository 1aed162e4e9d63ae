using System.Buffers;
using System.Globalization;

namespace EcgVision.Signals.Processing;

/// <summary>An immutable IIR filter in second-order-section (biquad cascade) form, with SciPy's <c>sosfilt</c> and <c>sosfiltfilt</c>.</summary>
/// <remarks>
/// Each section has six coefficients <c>[b0 b1 b2 a0 a1 a2]</c> with <c>a0 = 1</c>, exactly the layout of SciPy's
/// <c>sos</c> arrays (<c>scipy.signal.butter(..., output='sos')</c>), and the sections run in order.
/// Each section is the transfer function <c>(b0 + b1 z⁻¹ + b2 z⁻²) / (1 + a1 z⁻¹ + a2 z⁻²)</c>, computed in
/// transposed direct form II in double precision, in the same order of operations as SciPy's <c>_sosfilt</c>.
/// Filter state is laid out <c>[SectionCount, 2]</c> like SciPy's <c>zi</c>.
/// NaN or ∞ in the input propagate to the rest of the output (the whole output for <see cref="FilterForwardBackward(ReadOnlySpan{double}, Span{double}, int?)"/>).
/// Instances are immutable and thread-safe.
/// </remarks>
public sealed class SecondOrderSections
{
    private readonly double[] _sos;

    /// <summary>Creates a filter from a flat row-major <c>[sections, 6]</c> coefficient array (copied).</summary>
    /// <param name="coefficients">Six coefficients per section, <c>[b0 b1 b2 a0 a1 a2]</c>, each section's <c>a0</c> equal to 1.</param>
    /// <exception cref="ArgumentException">The length is not a positive multiple of 6, a coefficient is not finite, or an <c>a0</c> is not 1.</exception>
    public SecondOrderSections(ReadOnlySpan<double> coefficients)
    {
        if (coefficients.Length == 0 || coefficients.Length % 6 != 0)
        {
            throw new ArgumentException($"coefficients must hold 6 values per section, a positive multiple of 6 (got {coefficients.Length}).", nameof(coefficients));
        }

        for (int i = 0; i < coefficients.Length; i++)
        {
            if (!double.IsFinite(coefficients[i]))
            {
                throw new ArgumentException($"coefficients must be finite; section {i / 6} coefficient {i % 6} is {Format(coefficients[i])}.", nameof(coefficients));
            }
        }

        for (int s = 0; s < coefficients.Length / 6; s++)
        {
            if (coefficients[(s * 6) + 3] != 1.0)
            {
                throw new ArgumentException($"coefficients: a0 of every section must be 1 (as SciPy's sosfilt requires); section {s} has a0 = {Format(coefficients[(s * 6) + 3])}.", nameof(coefficients));
            }
        }

        _sos = coefficients.ToArray();
    }

    /// <summary>Creates a filter from a SciPy-shaped <c>[sections, 6]</c> array (copied).</summary>
    /// <param name="sos">The coefficients, one row per section.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sos"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The second dimension is not 6, or a row is invalid (see the constructor).</exception>
    public static SecondOrderSections FromArray(double[,] sos)
    {
        ArgumentNullException.ThrowIfNull(sos);
        if (sos.GetLength(1) != 6)
        {
            throw new ArgumentException($"sos must have shape [sections, 6] (got [{sos.GetLength(0)}, {sos.GetLength(1)}]).", nameof(sos));
        }

        var flat = new double[sos.Length];
        Buffer.BlockCopy(sos, 0, flat, 0, flat.Length * sizeof(double));
        return new SecondOrderSections(flat);
    }

    /// <summary>Number of second-order sections.</summary>
    public int SectionCount => _sos.Length / 6;

    /// <summary>All coefficients, row-major <c>[SectionCount, 6]</c>.</summary>
    public ReadOnlySpan<double> Coefficients => _sos;

    /// <summary>The coefficient <paramref name="index"/> (0–5: b0 b1 b2 a0 a1 a2) of section <paramref name="section"/>.</summary>
    /// <param name="section">Section index.</param>
    /// <param name="index">Coefficient index 0–5.</param>
    /// <returns>The coefficient.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public double this[int section, int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(section);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(section, SectionCount);
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(index, 5);
            return _sos[(section * 6) + index];
        }
    }

    /// <summary>The number of samples SciPy's <c>sosfiltfilt</c> pads each end with by default.</summary>
    /// <remarks><c>3 × (2·SectionCount + 1 − min(#sections with b2 = 0, #sections with a2 = 0))</c>.</remarks>
    public int DefaultPadLength
    {
        get
        {
            int b2Zero = 0, a2Zero = 0;
            for (int s = 0; s < SectionCount; s++)
            {
                b2Zero += _sos[(s * 6) + 2] == 0 ? 1 : 0;
                a2Zero += _sos[(s * 6) + 5] == 0 ? 1 : 0;
            }

            return 3 * ((2 * SectionCount) + 1 - Math.Min(b2Zero, a2Zero));
        }
    }

    /// <summary>Copies the coefficients into a new <c>[SectionCount, 6]</c> array.</summary>
    /// <returns>A fresh array the caller owns.</returns>
    public double[,] ToArray()
    {
        var result = new double[SectionCount, 6];
        Buffer.BlockCopy(_sos, 0, result, 0, _sos.Length * sizeof(double));
        return result;
    }

    /// <summary>The steady-state filter state for a unit step input (SciPy's <c>sosfilt_zi</c>).</summary>
    /// <returns>A new <c>[SectionCount, 2]</c> row-major array; multiply it by the first sample to start without a transient.</returns>
    /// <exception cref="InvalidOperationException">A section has a pole at z = 1 (1 + a1 + a2 = 0), so no steady state exists.</exception>
    public double[] GetInitialState()
    {
        var zi = new double[SectionCount * 2];
        double scale = 1.0;
        for (int s = 0; s < SectionCount; s++)
        {
            ReadOnlySpan<double> c = _sos.AsSpan(s * 6, 6);
            double b0 = c[0], b1 = c[1], b2 = c[2], a1 = c[4], a2 = c[5];
            double denominator = 1.0 + a1 + a2;
            if (denominator == 0)
            {
                throw new InvalidOperationException($"Section {s} has a pole at z = 1 (1 + a1 + a2 = 0), so it has no steady state for a step input.");
            }

            // lfilter_zi solves (I - A) zi = B for the 2x2 companion matrix; this is its closed form.
            double r0 = b1 - (a1 * b0), r1 = b2 - (a2 * b0);
            double z0 = (r0 + r1) / denominator;
            zi[s * 2] = scale * z0;
            zi[(s * 2) + 1] = scale * (r1 - (a2 * z0));
            scale *= (b0 + b1 + b2) / (1.0 + a1 + a2);
        }

        return zi;
    }

    /// <summary>Filters in one direction (SciPy's <c>sosfilt</c>), in double precision.</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; at least <c>x.Length</c> long. May be the same memory as <paramref name="x"/>.</param>
    /// <param name="initialState">Optional <c>[SectionCount, 2]</c> initial state (SciPy's <c>zi</c>); empty means zeros.</param>
    /// <param name="finalState">Optional buffer of <c>SectionCount × 2</c> values that receives the final state (SciPy's <c>zf</c>); empty to skip.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short, or a state buffer has the wrong length.</exception>
    public void Filter(ReadOnlySpan<double> x, Span<double> destination, ReadOnlySpan<double> initialState = default, Span<double> finalState = default)
    {
        CheckFilterArguments(x.Length, destination.Length, initialState.Length, finalState.Length);
        Span<double> state = stackalloc double[2];
        x.CopyTo(destination);
        Span<double> y = destination[..x.Length];
        for (int s = 0; s < SectionCount; s++)
        {
            state[0] = initialState.IsEmpty ? 0 : initialState[s * 2];
            state[1] = initialState.IsEmpty ? 0 : initialState[(s * 2) + 1];
            RunSection(_sos.AsSpan(s * 6, 6), y, state);
            if (!finalState.IsEmpty)
            {
                finalState[s * 2] = state[0];
                finalState[(s * 2) + 1] = state[1];
            }
        }
    }

    /// <summary>Filters in one direction (SciPy's <c>sosfilt</c>); single-precision input and output, double-precision arithmetic.</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; at least <c>x.Length</c> long. May be the same memory as <paramref name="x"/>.</param>
    /// <param name="initialState">Optional <c>[SectionCount, 2]</c> initial state; empty means zeros.</param>
    /// <param name="finalState">Optional buffer of <c>SectionCount × 2</c> values that receives the final state; empty to skip.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short, or a state buffer has the wrong length.</exception>
    public void Filter(ReadOnlySpan<float> x, Span<float> destination, ReadOnlySpan<double> initialState = default, Span<double> finalState = default)
    {
        CheckFilterArguments(x.Length, destination.Length, initialState.Length, finalState.Length);
        double[] buffer = ArrayPool<double>.Shared.Rent(x.Length);
        try
        {
            Span<double> work = buffer.AsSpan(0, x.Length);
            for (int i = 0; i < x.Length; i++)
            {
                work[i] = x[i];
            }

            Filter(work, work, initialState, finalState);
            for (int i = 0; i < work.Length; i++)
            {
                destination[i] = (float)work[i];
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>Zero-phase filtering, forwards then backwards, with SciPy's <c>sosfiltfilt</c> semantics, in double precision.</summary>
    /// <param name="x">The input; longer than the pad length.</param>
    /// <param name="destination">Receives the output; at least <c>x.Length</c> long. May be the same memory as <paramref name="x"/>.</param>
    /// <param name="padLength">Samples of odd extension at each end; <see langword="null"/> means <see cref="DefaultPadLength"/> (SciPy's default), 0 means no padding.</param>
    /// <remarks>
    /// The input is extended at both ends by odd reflection (<c>padtype='odd'</c>: <c>2·x[0] − x[k]</c>), filtered forwards from the
    /// state <see cref="GetInitialState"/> × first extended sample, reversed, filtered again from the state × last forward output,
    /// reversed, and the padding is cut off. The result has the squared magnitude response of the filter and zero phase.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not longer than the pad length (SciPy's rule), or <paramref name="destination"/> is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="padLength"/> is negative.</exception>
    public void FilterForwardBackward(ReadOnlySpan<double> x, Span<double> destination, int? padLength = null)
    {
        int edge = CheckForwardBackwardArguments(x.Length, destination.Length, padLength);
        double[] buffer = ArrayPool<double>.Shared.Rent(x.Length + (2 * edge));
        try
        {
            Span<double> ext = buffer.AsSpan(0, x.Length + (2 * edge));
            x.CopyTo(ext.Slice(edge, x.Length));
            ForwardBackwardInPlace(ext, edge);
            ext.Slice(edge, x.Length).CopyTo(destination);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>Zero-phase filtering (SciPy's <c>sosfiltfilt</c>) of single-precision data, computed in double precision.</summary>
    /// <param name="x">The input; longer than the pad length.</param>
    /// <param name="destination">Receives the output; at least <c>x.Length</c> long. May be the same memory as <paramref name="x"/>.</param>
    /// <param name="padLength">Samples of odd extension at each end; <see langword="null"/> means <see cref="DefaultPadLength"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not longer than the pad length, or <paramref name="destination"/> is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="padLength"/> is negative.</exception>
    public void FilterForwardBackward(ReadOnlySpan<float> x, Span<float> destination, int? padLength = null)
    {
        int edge = CheckForwardBackwardArguments(x.Length, destination.Length, padLength);
        double[] buffer = ArrayPool<double>.Shared.Rent(x.Length + (2 * edge));
        try
        {
            Span<double> ext = buffer.AsSpan(0, x.Length + (2 * edge));
            for (int i = 0; i < x.Length; i++)
            {
                ext[edge + i] = x[i];
            }

            ForwardBackwardInPlace(ext, edge);
            for (int i = 0; i < x.Length; i++)
            {
                destination[i] = (float)ext[edge + i];
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>Zero-phase filtering (SciPy's <c>sosfiltfilt</c>) into a new array.</summary>
    /// <param name="x">The input; longer than the pad length.</param>
    /// <returns>A new array of <c>x.Length</c> samples.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not longer than the pad length.</exception>
    public float[] FilterForwardBackward(ReadOnlySpan<float> x)
    {
        var result = new float[x.Length];
        FilterForwardBackward(x, result);
        return result;
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"SecondOrderSections({SectionCount} sections)");

    /// <summary>Runs sosfiltfilt on a buffer whose middle holds the signal and whose <paramref name="edge"/> samples at each end are free.</summary>
    internal void ForwardBackwardInPlace(Span<double> ext, int edge)
    {
        int n = ext.Length - (2 * edge);
        if (edge > 0)
        {
            double first = ext[edge], last = ext[edge + n - 1];
            for (int k = 1; k <= edge; k++)
            {
                ext[edge - k] = (2 * first) - ext[edge + k];
                ext[edge + n - 1 + k] = (2 * last) - ext[edge + n - 1 - k];
            }
        }

        double[] zi = GetInitialState();
        Span<double> state = stackalloc double[2];
        double x0 = ext[0];
        for (int s = 0; s < SectionCount; s++)
        {
            state[0] = zi[s * 2] * x0;
            state[1] = zi[(s * 2) + 1] * x0;
            RunSection(_sos.AsSpan(s * 6, 6), ext, state);
        }

        ext.Reverse();
        double y0 = ext[0];
        for (int s = 0; s < SectionCount; s++)
        {
            state[0] = zi[s * 2] * y0;
            state[1] = zi[(s * 2) + 1] * y0;
            RunSection(_sos.AsSpan(s * 6, 6), ext, state);
        }

        ext.Reverse();
    }

    private static void RunSection(ReadOnlySpan<double> c, Span<double> y, Span<double> state)
    {
        // Same operation order as SciPy's _sosfilt (transposed direct form II), so results agree to rounding.
        double b0 = c[0], b1 = c[1], b2 = c[2], a1 = c[4], a2 = c[5];
        double z0 = state[0], z1 = state[1];
        for (int i = 0; i < y.Length; i++)
        {
            double xi = y[i];
            double yi = (b0 * xi) + z0;
            z0 = (b1 * xi) - (a1 * yi) + z1;
            z1 = (b2 * xi) - (a2 * yi);
            y[i] = yi;
        }

        state[0] = z0;
        state[1] = z1;
    }

    private void CheckFilterArguments(int length, int destinationLength, int initialStateLength, int finalStateLength)
    {
        if (destinationLength < length)
        {
            throw new ArgumentException($"destination must hold at least x.Length ({length}) samples (got {destinationLength}).", "destination");
        }

        if (initialStateLength != 0 && initialStateLength != SectionCount * 2)
        {
            throw new ArgumentException($"initialState must be empty or hold SectionCount × 2 = {SectionCount * 2} values (got {initialStateLength}).", "initialState");
        }

        if (finalStateLength != 0 && finalStateLength != SectionCount * 2)
        {
            throw new ArgumentException($"finalState must be empty or hold SectionCount × 2 = {SectionCount * 2} values (got {finalStateLength}).", "finalState");
        }
    }

    private int CheckForwardBackwardArguments(int length, int destinationLength, int? padLength)
    {
        if (padLength is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(padLength), padLength, $"padLength must be 0 or more (got {padLength}).");
        }

        int edge = padLength ?? DefaultPadLength;
        if (length <= edge)
        {
            throw new ArgumentException($"x must be longer than the pad length {edge} ({(padLength is null ? "3 × filter taps, SciPy's sosfiltfilt default" : "padLength")}), so at least {edge + 1} samples (got {length}).", "x");
        }

        if (destinationLength < length)
        {
            throw new ArgumentException($"destination must hold at least x.Length ({length}) samples (got {destinationLength}).", "destination");
        }

        return edge;
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
