namespace EcgVision.Signals.Synthetic;

/// <summary>The PTB-XL statement category of a <see cref="SyntheticCondition"/> (the <c>diagnostic</c>, <c>form</c> and <c>rhythm</c> columns of <c>scp_statements.csv</c>).</summary>
public enum SyntheticConditionKind
{
    /// <summary>A diagnostic statement with a PTB-XL superclass and subclass (e.g. IMI → MI/IMI).</summary>
    Diagnostic = 0,

    /// <summary>A form statement about the waveform (e.g. PVC, LVOLT); not diagnostic in PTB-XL.</summary>
    Form = 1,

    /// <summary>A rhythm statement (e.g. SR, AFIB); not diagnostic in PTB-XL.</summary>
    Rhythm = 2,
}
