namespace EcgVision.Signals.Wfdb;

/// <summary>Options for <see cref="WfdbReader"/>.</summary>
public sealed record WfdbReadOptions
{
    /// <summary>Shared default options.</summary>
    public static WfdbReadOptions Default { get; } = new();

    /// <summary>Whether to check each signal's 16-bit checksum and initial value against the header (default <see langword="true"/>).</summary>
    public bool VerifyChecksums { get; init; } = true;

    /// <summary>Largest signal count a header may declare (default 1024, at most 65536); guards against hostile headers.</summary>
    public int MaxSignals { get; init; } = 1024;

    /// <summary>Largest signal file read, in bytes (default 2 GiB − 1); guards against hostile or mistaken inputs.</summary>
    public long MaxSignalFileBytes { get; init; } = int.MaxValue;

    internal void Validate()
    {
        if (MaxSignals is < 1 or > 65536)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSignals), MaxSignals, $"MaxSignals must be between 1 and 65536 (got {MaxSignals}).");
        }

        if (MaxSignalFileBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSignalFileBytes), MaxSignalFileBytes, $"MaxSignalFileBytes must be at least 1 (got {MaxSignalFileBytes}).");
        }
    }
}
