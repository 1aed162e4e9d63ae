namespace EcgVision.Signals.Synthetic;

/// <summary>The kind of a ventricular complex in a synthetic record.</summary>
public enum SyntheticBeatKind
{
    /// <summary>A conducted (supraventricular) beat.</summary>
    Normal = 0,

    /// <summary>A premature ventricular complex.</summary>
    PrematureVentricular = 1,
}

/// <summary>A generated 12-lead ECG with its ground truth.</summary>
/// <remarks>
/// The ground truth values other than <see cref="RPeaks"/> are the model's design values measured on the noise-free
/// beat template (not on the noisy record), e.g. <see cref="QrsDurationMs"/> from the spatial velocity of the dipole.
/// </remarks>
public sealed class SyntheticEcg
{
    internal SyntheticEcg(EcgRecord record, int[] rPeaks, SyntheticBeatKind[] beatKinds, SyntheticCondition[] conditions,
        double meanHeartRate, double? prIntervalMs, double qrsDurationMs, double frontalAxisDegrees, int seed)
    {
        Record = record;
        RPeaks = Array.AsReadOnly(rPeaks);
        BeatKinds = Array.AsReadOnly(beatKinds);
        Conditions = Array.AsReadOnly(conditions);
        MeanHeartRate = meanHeartRate;
        PrIntervalMs = prIntervalMs;
        QrsDurationMs = qrsDurationMs;
        FrontalAxisDegrees = frontalAxisDegrees;
        Seed = seed;
    }

    /// <summary>The 12-lead record (standard lead order, mV) with its metadata (id, patient, age, sex, report, codes, superclasses, subclasses, <c>strat_fold</c>).</summary>
    public EcgRecord Record { get; }

    /// <summary>Sample indices of every ventricular complex's R peak inside the record, premature ventricular complexes included, ascending.</summary>
    /// <remarks>The R peak is the peak of the QRS's dominant (largest absolute) deflection in lead II on the noise-free beat
    /// template, whatever its polarity: the R wave of a normal beat, R′ in right bundle branch block, the later notch in left
    /// bundle branch block, the main (often negative) deflection of a premature ventricular complex.</remarks>
    public IReadOnlyList<int> RPeaks { get; }

    /// <summary>The kind of each complex in <see cref="RPeaks"/>.</summary>
    public IReadOnlyList<SyntheticBeatKind> BeatKinds { get; }

    /// <summary>The complete condition set the record was generated with (rhythm and NORM included).</summary>
    public IReadOnlyList<SyntheticCondition> Conditions { get; }

    /// <summary>The mean ventricular rate of the generated rhythm in beats per minute (from the RR intervals of the underlying rhythm, before premature beats).</summary>
    public double MeanHeartRate { get; }

    /// <summary>The designed PR interval (P onset to QRS onset) in milliseconds at the mean heart rate, or <see langword="null"/> in atrial fibrillation.</summary>
    public double? PrIntervalMs { get; }

    /// <summary>The QRS duration of a conducted beat in milliseconds, measured on the noise-free template.</summary>
    public double QrsDurationMs { get; }

    /// <summary>The frontal QRS axis of a conducted beat in degrees (−180 to 180), from the net QRS areas of leads I and aVF of the noise-free template.</summary>
    public double FrontalAxisDegrees { get; }

    /// <summary>The seed the record was generated with.</summary>
    public int Seed { get; }

    /// <summary>Generates one record with a new <see cref="SyntheticEcgGenerator"/> (a shortcut for samples and scripts).</summary>
    /// <param name="spec">The conditions, heart rate, identity and demographics.</param>
    /// <param name="seed">Seed of every random choice.</param>
    /// <param name="options">Recording settings; <see langword="null"/> uses the defaults (100 Hz, 10 s, mild noise).</param>
    /// <returns>The record with its ground truth.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The spec is invalid (see <see cref="SyntheticEcgGenerator.Generate"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static SyntheticEcg Generate(SyntheticEcgSpec spec, int seed, SyntheticEcgOptions? options = null) =>
        new SyntheticEcgGenerator(options).Generate(spec, seed);

    /// <summary>Whether the record has the condition with the given code.</summary>
    /// <param name="code">A statement code such as <c>AFIB</c> (case-insensitive).</param>
    /// <returns><see langword="true"/> when <see cref="Conditions"/> holds it.</returns>
    public bool Has(string code) => Conditions.Any(c => string.Equals(c.Code, code, StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc/>
    public override string ToString() => $"SyntheticEcg {Record.Metadata.Id}: {string.Join("+", Conditions.Select(c => c.Code))}, {MeanHeartRate:F0} bpm";
}
