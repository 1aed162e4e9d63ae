namespace EcgVision.Signals.Synthetic;

/// <summary>Settings for <see cref="SyntheticEcgCorpus.Generate"/>: recording options, the case mix and parallelism.</summary>
/// <remarks>Validated by <see cref="SyntheticEcgCorpus.Generate"/>.</remarks>
public sealed record SyntheticCorpusOptions
{
    /// <summary>Recording settings of every record. Default: 100 Hz, 10 s, mild noise.</summary>
    public SyntheticEcgOptions Ecg { get; init; } = new();

    /// <summary>Fraction of patients with a normal ECG (NORM in sinus rhythm, a few with sinus brady- or tachycardia). Default 0.25 (about 38 % of the records then carry NORM, since PVC, low voltage and sinus brady- or tachycardia alone are "otherwise normal"). Allowed: 0–1.</summary>
    public double NormalFraction { get; init; } = 0.25;

    /// <summary>Fraction of abnormal patients who get a second, compatible finding. Default 0.3. Allowed: 0–1.</summary>
    public double CombinationFraction { get; init; } = 0.3;

    /// <summary>Fraction of records that are a patient's second record (same heart, new rhythm and noise). Default 0.15. Allowed: 0–0.5.</summary>
    public double RepeatPatientFraction { get; init; } = 0.15;

    /// <summary>Whether noise levels vary from record to record (scale 0.3–2.5 of <see cref="SyntheticEcgOptions"/>' levels). Default <see langword="true"/>.</summary>
    public bool VaryNoise { get; init; } = true;

    /// <summary>Threads used to render records; 1 (default) is sequential. The corpus is identical for every value.</summary>
    public int MaxDegreeOfParallelism { get; init; } = 1;
}
