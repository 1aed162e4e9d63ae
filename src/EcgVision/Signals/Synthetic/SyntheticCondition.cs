using EcgVision.Signals.PtbXl;

namespace EcgVision.Signals.Synthetic;

/// <summary>One ECG condition the synthetic generator can produce, with its PTB-XL (SCP-ECG) statement code and classification.</summary>
/// <remarks>
/// The catalogue (<see cref="All"/>) follows PTB-XL's <c>scp_statements.csv</c>: diagnostic statements carry a superclass
/// (NORM, MI, STTC, CD, HYP) and a subclass; rhythm and form statements have neither. <c>NST_</c> is both diagnostic and
/// a form statement in PTB-XL; it is listed here as <see cref="SyntheticConditionKind.Diagnostic"/>.
/// <c>LAD</c> is not an SCP statement in PTB-XL (PTB-XL keeps the axis in its <c>heart_axis</c> column); the generator
/// still writes it as a form code so that left axis deviation can be retrieved like any other finding.
/// </remarks>
public sealed record SyntheticCondition
{
    private SyntheticCondition(string code, string description, SyntheticConditionKind kind, string? superclass, string? subclass)
    {
        Code = code;
        Description = description;
        Kind = kind;
        Superclass = superclass;
        Subclass = subclass;
    }

    /// <summary>The SCP-ECG statement code as used by PTB-XL (e.g. <c>IMI</c>, <c>AFIB</c>).</summary>
    public string Code { get; }

    /// <summary>The statement description in PTB-XL's wording (e.g. "inferior myocardial infarction").</summary>
    public string Description { get; }

    /// <summary>Whether the statement is diagnostic, a form statement or a rhythm statement.</summary>
    public SyntheticConditionKind Kind { get; }

    /// <summary>The PTB-XL diagnostic superclass (NORM, MI, STTC, CD, HYP), or <see langword="null"/> for rhythm and form statements.</summary>
    public string? Superclass { get; }

    /// <summary>The PTB-XL diagnostic subclass (e.g. IMI, AMI, _AVB), or <see langword="null"/> for rhythm and form statements.</summary>
    public string? Subclass { get; }

    /// <summary>This condition as a PTB-XL <c>scp_statements.csv</c> row, so a synthetic corpus can be written in PTB-XL's layout.</summary>
    /// <returns>The statement with its diagnostic/form/rhythm flags and, for diagnostic statements, superclass and subclass.</returns>
    public ScpStatement ToScpStatement() => new()
    {
        Code = Code,
        Description = Description,
        Diagnostic = Kind == SyntheticConditionKind.Diagnostic,
        Form = Kind == SyntheticConditionKind.Form,
        Rhythm = Kind == SyntheticConditionKind.Rhythm,
        DiagnosticClass = Superclass,
        DiagnosticSubclass = Subclass,
    };

    /// <summary>Normal ECG (NORM/NORM). Added automatically when a sinus record has no diagnostic or axis finding.</summary>
    public static SyntheticCondition Normal { get; } = new("NORM", "normal ECG", SyntheticConditionKind.Diagnostic, "NORM", "NORM");

    /// <summary>Sinus rhythm at 60–100 bpm. Added automatically when no rhythm is given.</summary>
    public static SyntheticCondition SinusRhythm { get; } = new("SR", "sinus rhythm", SyntheticConditionKind.Rhythm, null, null);

    /// <summary>Sinus bradycardia: sinus rhythm below 60 bpm.</summary>
    public static SyntheticCondition SinusBradycardia { get; } = new("SBRAD", "sinus bradycardia", SyntheticConditionKind.Rhythm, null, null);

    /// <summary>Sinus tachycardia: sinus rhythm above 100 bpm.</summary>
    public static SyntheticCondition SinusTachycardia { get; } = new("STACH", "sinus tachycardia", SyntheticConditionKind.Rhythm, null, null);

    /// <summary>Atrial fibrillation: no P waves, fibrillatory f-waves, irregularly irregular ventricular rhythm.</summary>
    public static SyntheticCondition AtrialFibrillation { get; } = new("AFIB", "atrial fibrillation", SyntheticConditionKind.Rhythm, null, null);

    /// <summary>First-degree AV block (CD/_AVB): PR interval above 200 ms.</summary>
    public static SyntheticCondition FirstDegreeAvBlock { get; } = new("1AVB", "first degree AV block", SyntheticConditionKind.Diagnostic, "CD", "_AVB");

    /// <summary>Complete left bundle branch block (CD/CLBBB).</summary>
    public static SyntheticCondition LeftBundleBranchBlock { get; } = new("CLBBB", "complete left bundle branch block", SyntheticConditionKind.Diagnostic, "CD", "CLBBB");

    /// <summary>Complete right bundle branch block (CD/CRBBB).</summary>
    public static SyntheticCondition RightBundleBranchBlock { get; } = new("CRBBB", "complete right bundle branch block", SyntheticConditionKind.Diagnostic, "CD", "CRBBB");

    /// <summary>Anteroseptal myocardial infarction (MI/AMI): Q or QS waves in V1–V3/V4, with ST elevation when recent.</summary>
    public static SyntheticCondition AnteroseptalInfarction { get; } = new("ASMI", "anteroseptal myocardial infarction", SyntheticConditionKind.Diagnostic, "MI", "AMI");

    /// <summary>Inferior myocardial infarction (MI/IMI): Q waves in II, III, aVF, with ST elevation and reciprocal depression when recent.</summary>
    public static SyntheticCondition InferiorInfarction { get; } = new("IMI", "inferior myocardial infarction", SyntheticConditionKind.Diagnostic, "MI", "IMI");

    /// <summary>Left ventricular hypertrophy (HYP/LVH): Sokolow–Lyon voltage above 3.5 mV, optionally with a strain pattern.</summary>
    public static SyntheticCondition LeftVentricularHypertrophy { get; } = new("LVH", "left ventricular hypertrophy", SyntheticConditionKind.Diagnostic, "HYP", "LVH");

    /// <summary>Non-specific ST changes (STTC/NST_): mild ST depression and flat T waves in lateral and inferior leads.</summary>
    public static SyntheticCondition NonSpecificStChanges { get; } = new("NST_", "non-specific ST changes", SyntheticConditionKind.Diagnostic, "STTC", "NST_");

    /// <summary>Low QRS voltages (form): limb-lead QRS amplitudes below 0.5 mV.</summary>
    public static SyntheticCondition LowQrsVoltage { get; } = new("LVOLT", "low QRS voltages in the frontal and horizontal leads", SyntheticConditionKind.Form, null, null);

    /// <summary>Left axis deviation (form): frontal QRS axis below −30°.</summary>
    public static SyntheticCondition LeftAxisDeviation { get; } = new("LAD", "left axis deviation", SyntheticConditionKind.Form, null, null);

    /// <summary>Premature ventricular complexes (form): early, wide, bizarre beats with a compensatory pause.</summary>
    public static SyntheticCondition PrematureVentricularComplex { get; } = new("PVC", "ventricular premature complex", SyntheticConditionKind.Form, null, null);

    /// <summary>Every condition the generator knows, in report order (rhythm, conduction, axis and voltage, hypertrophy, infarction, ST-T).</summary>
    public static IReadOnlyList<SyntheticCondition> All { get; } = Array.AsReadOnly(new[]
    {
        Normal, SinusRhythm, SinusBradycardia, SinusTachycardia, AtrialFibrillation, PrematureVentricularComplex,
        FirstDegreeAvBlock, LeftAxisDeviation, LowQrsVoltage, LeftBundleBranchBlock, RightBundleBranchBlock,
        LeftVentricularHypertrophy, AnteroseptalInfarction, InferiorInfarction, NonSpecificStChanges,
    });

    /// <summary>The PTB-XL diagnostic superclasses in their canonical order.</summary>
    public static IReadOnlyList<string> Superclasses { get; } = Array.AsReadOnly(new[] { "NORM", "MI", "STTC", "CD", "HYP" });

    /// <summary>Finds a condition by its code (case-insensitive).</summary>
    /// <param name="code">A statement code such as <c>IMI</c>.</param>
    /// <param name="condition">The condition when found.</param>
    /// <returns><see langword="true"/> when the catalogue holds <paramref name="code"/>.</returns>
    public static bool TryFromCode(string? code, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SyntheticCondition? condition)
    {
        foreach (SyntheticCondition c in All)
        {
            if (string.Equals(c.Code, code?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                condition = c;
                return true;
            }
        }

        condition = null;
        return false;
    }

    /// <summary>Finds a condition by its code (case-insensitive).</summary>
    /// <param name="code">A statement code such as <c>IMI</c>.</param>
    /// <returns>The catalogue entry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="code"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="code"/> is not in the catalogue.</exception>
    public static SyntheticCondition FromCode(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return TryFromCode(code, out SyntheticCondition? c)
            ? c
            : throw new ArgumentException($"Code must be one of {string.Join(", ", All.Select(x => x.Code))} (got '{code}').", nameof(code));
    }

    /// <inheritdoc/>
    public override string ToString() => Code;
}
