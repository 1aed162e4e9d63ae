namespace EcgVision.Torch.Training;

/// <summary>One ECG image and its report.</summary>
/// <param name="Image">float32 <c>[Channels, ImageSize, ImageSize]</c>, row-major (e.g. stacked GAF/MTF/RP fields).</param>
/// <param name="Report">The free-text report.</param>
/// <param name="GroupId">
/// Samples with the same id carry the same report and are treated as positives of each other in the loss and in recall@K.
/// Null groups samples by exact (ordinal) report text.
/// </param>
public readonly record struct ClipSample(float[] Image, string Report, int? GroupId = null);

/// <summary>Random-access image–report pairs for <see cref="ContrastiveTrainer"/>.</summary>
public interface IClipDataset
{
    /// <summary>Number of samples.</summary>
    int Count { get; }

    /// <summary>Returns sample <paramref name="index"/> (0-based). Must be deterministic: the trainer may read a sample more than once.</summary>
    /// <param name="index">The sample index.</param>
    /// <returns>The sample.</returns>
    ClipSample this[int index] { get; }
}

/// <summary>An <see cref="IClipDataset"/> over samples held in memory.</summary>
public sealed class InMemoryClipDataset : IClipDataset
{
    private readonly ClipSample[] samples;

    /// <summary>Wraps a copy of the list of samples.</summary>
    /// <param name="samples">The samples.</param>
    public InMemoryClipDataset(IEnumerable<ClipSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        this.samples = samples.ToArray();
    }

    /// <inheritdoc/>
    public int Count => samples.Length;

    /// <inheritdoc/>
    public ClipSample this[int index] => samples[index];
}
