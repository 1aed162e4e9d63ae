namespace EcgVision.Signals.Synthetic;

/// <summary>What to generate: the conditions, the heart rate and its variability, and the record's identity and demographics.</summary>
/// <remarks>
/// Missing statements are completed by <see cref="SyntheticEcgGenerator.CompleteConditions"/>: sinus rhythm when no rhythm
/// is given, and NORM when a sinus record has no diagnostic or axis finding. Incompatible combinations are rejected there.
/// </remarks>
public sealed record SyntheticEcgSpec
{
    /// <summary>The conditions to produce (see <see cref="SyntheticCondition.All"/>). Empty means a normal ECG in sinus rhythm.</summary>
    public IReadOnlyList<SyntheticCondition> Conditions { get; init; } = [];

    /// <summary>Mean heart rate in beats per minute (30–220), or <see langword="null"/> to draw one that fits the rhythm
    /// (sinus rhythm 60–95, bradycardia 42–57, tachycardia 105–150, atrial fibrillation 60–130).</summary>
    /// <remarks>Sinus rhythm needs 60–100 bpm, sinus bradycardia below 60 and sinus tachycardia above 100.</remarks>
    public double? HeartRate { get; init; }

    /// <summary>Standard deviation of the sinus heart rate in beats per minute (ECGSYN's <c>hrstd</c>), 0–10. Default 2. Ignored in atrial fibrillation, whose RR intervals are irregularly irregular.</summary>
    public double HeartRateStd { get; init; } = 2;

    /// <summary>The record identifier written to <see cref="EcgMetadata.Id"/>.</summary>
    public string? Id { get; init; }

    /// <summary>The patient identifier written to <see cref="EcgMetadata.PatientId"/>.</summary>
    public string? PatientId { get; init; }

    /// <summary>Age in years (0–120), or <see langword="null"/> when unknown.</summary>
    public double? Age { get; init; }

    /// <summary>Biological sex; female hearts get slightly lower QRS voltages.</summary>
    public Sex Sex { get; init; }

    /// <summary>PTB-XL's stratified fold (1–10) written to <c>Properties["strat_fold"]</c>, or <see langword="null"/> to leave it out.</summary>
    public int? StratFold { get; init; }

    /// <summary>Seed of the patient's anatomy (heart orientation, voltages, intervals, lesion pattern), or <see langword="null"/>
    /// to derive it from the record seed. Records of one patient share it, so they look alike apart from rhythm and noise.</summary>
    public int? AnatomySeed { get; init; }

    /// <summary>Whether the patient has an earlier record (the report may then compare with it). Default <see langword="false"/>.</summary>
    public bool HasPreviousRecord { get; init; }

    /// <summary>Multiplies the noise amplitudes of <see cref="SyntheticEcgOptions"/> for this record (0–10). Default 1; the corpus varies it so some records are clean and some noisy.</summary>
    public double NoiseScale { get; init; } = 1;

    /// <summary>A spec with the given conditions and everything else at its default.</summary>
    /// <param name="conditions">The conditions.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="conditions"/> is <see langword="null"/>.</exception>
    public static SyntheticEcgSpec Of(params SyntheticCondition[] conditions)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        return new SyntheticEcgSpec { Conditions = conditions.ToArray() };
    }
}
