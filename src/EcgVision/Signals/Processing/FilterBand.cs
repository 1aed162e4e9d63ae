namespace EcgVision.Signals.Processing;

/// <summary>The pass band of an IIR filter (SciPy's <c>btype</c>).</summary>
public enum FilterBand
{
    /// <summary>Passes frequencies below the cutoff (<c>btype='lowpass'</c>).</summary>
    LowPass,

    /// <summary>Passes frequencies above the cutoff (<c>btype='highpass'</c>).</summary>
    HighPass,

    /// <summary>Passes frequencies between the two cutoffs (<c>btype='bandpass'</c>).</summary>
    BandPass,

    /// <summary>Rejects frequencies between the two cutoffs (<c>btype='bandstop'</c>).</summary>
    BandStop,
}
