namespace EcgVision.Signals.Synthetic;

/// <summary>Recording settings for <see cref="SyntheticEcgGenerator"/>: sampling rate, duration and noise levels.</summary>
/// <remarks>Validated by the <see cref="SyntheticEcgGenerator"/> constructor. All amplitudes are in millivolts.</remarks>
public sealed record SyntheticEcgOptions
{
    /// <summary>Samples per second. Default 100 (PTB-XL's low rate); 500 gives PTB-XL's high rate. Allowed: 50–2000.</summary>
    public double SamplingRate { get; init; } = 100;

    /// <summary>Record length in seconds. Default 10 (as PTB-XL). Allowed: 2–120.</summary>
    public double DurationSeconds { get; init; } = 10;

    /// <summary>Whether baseline wander, muscle noise and powerline interference are added. Default <see langword="true"/>; <see langword="false"/> gives the noise-free model.</summary>
    public bool IncludeNoise { get; init; } = true;

    /// <summary>Peak amplitude of the baseline wander (respiration at the record's respiratory rate plus a slower drift), in mV. Default 0.08. Allowed: 0–5.</summary>
    public double BaselineWanderAmplitude { get; init; } = 0.08;

    /// <summary>RMS amplitude of the EMG-like muscle noise (high-pass filtered Gaussian noise with slow bursts), in mV. Default 0.012. Allowed: 0–1.</summary>
    public double MuscleNoiseAmplitude { get; init; } = 0.012;

    /// <summary>Peak amplitude of the powerline interference, in mV. Default 0.01. Allowed: 0–1.</summary>
    /// <remarks>Interference at or above the Nyquist frequency is left out, as a recorder's anti-aliasing filter would remove it (so 100 Hz records have none).</remarks>
    public double PowerlineAmplitude { get; init; } = 0.01;

    /// <summary>Mains frequency in Hz: 50 (default, as in Germany where PTB-XL was recorded) or 60.</summary>
    public double PowerlineFrequency { get; init; } = 50;
}
