namespace EcgVision.Signals.Wfdb;

/// <summary>The raw digital samples of a WFDB record together with its header.</summary>
public sealed class WfdbDigitalRecord
{
    private readonly int[] _samples;
    private readonly int[] _offsets;

    internal WfdbDigitalRecord(WfdbHeader header, int frameCount, int[] samples, int[] offsets)
    {
        Header = header;
        FrameCount = frameCount;
        _samples = samples;
        _offsets = offsets;
    }

    /// <summary>The header the samples were read with; <see cref="WfdbHeader.SampleCount"/> is the actual frame count.</summary>
    public WfdbHeader Header { get; }

    /// <summary>Frames (samples per signal when every signal has one sample per frame).</summary>
    public int FrameCount { get; }

    /// <summary>All samples, signal-major: signal 0's <c>FrameCount × SamplesPerFrame</c> samples, then signal 1's, and so on.</summary>
    /// <remarks>Invalid samples keep the format's sentinel value (e.g. −32768 for format 16).</remarks>
    public ReadOnlySpan<int> Samples => _samples;

    /// <summary>Copies all samples (signal-major, as <see cref="Samples"/>) into a new array.</summary>
    /// <returns>A fresh <c>int[]</c> the caller owns.</returns>
    public int[] ToArray() => (int[])_samples.Clone();

    /// <summary>The digital samples of one signal.</summary>
    /// <param name="index">Signal index, 0-based.</param>
    /// <returns>A view of <c>FrameCount × SamplesPerFrame</c> samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a signal index.</exception>
    public ReadOnlySpan<int> GetSignal(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Header.SignalCount);
        return _samples.AsSpan(_offsets[index], _offsets[index + 1] - _offsets[index]);
    }

    /// <summary>The invalid-sample sentinel of a signal's format.</summary>
    /// <param name="index">Signal index.</param>
    /// <returns>The digital value that marks a missing sample.</returns>
    public int GetInvalidSample(int index) => WfdbCodec.InvalidSample(Header.Signals[index].Format);
}
