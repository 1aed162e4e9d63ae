namespace EcgVision.Signals.Wfdb;

/// <summary>The parsed content of a WFDB header (<c>.hea</c>) file of a single-segment record.</summary>
/// <remarks>Field names follow the PhysioNet WFDB header specification (record line, then one signal line per signal, <c>#</c> comment lines anywhere).</remarks>
public sealed record WfdbHeader
{
    /// <summary>The record name (first field of the record line).</summary>
    public required string RecordName { get; init; }

    /// <summary>Sampling frequency in frames per second per signal (WFDB default 250 when the header omits it).</summary>
    public double SamplingFrequency { get; init; } = 250;

    /// <summary>Counter frequency in ticks per second (the <c>/counter</c> part of the frequency field), when given.</summary>
    public double? CounterFrequency { get; init; }

    /// <summary>Counter value at sample 0 (the <c>(base counter)</c> part), when given.</summary>
    public double? BaseCounter { get; init; }

    /// <summary>Samples (frames) per signal, or <see langword="null"/> when the header omits it (then the signal file length decides).</summary>
    public int? SampleCount { get; init; }

    /// <summary>Time of day of sample 0, when given.</summary>
    public TimeOnly? BaseTime { get; init; }

    /// <summary>Date of sample 0, when given.</summary>
    public DateOnly? BaseDate { get; init; }

    /// <summary>One entry per signal, in header order.</summary>
    public IReadOnlyList<WfdbSignalSpec> Signals { get; init; } = [];

    /// <summary>The <c>#</c> comment lines, in file order, without the <c>#</c> and trimmed.</summary>
    public IReadOnlyList<string> Comments { get; init; } = [];

    /// <summary>Number of signals.</summary>
    public int SignalCount => Signals.Count;
}

/// <summary>One signal line of a WFDB header: where and how a signal is stored and how to convert it to physical units.</summary>
/// <remarks>Physical value = (digital − <see cref="Baseline"/>) / <see cref="Gain"/>, in <see cref="Units"/>.</remarks>
public sealed record WfdbSignalSpec
{
    /// <summary>The signal file name, relative to the header's folder (e.g. <c>00001_lr.dat</c>).</summary>
    public required string FileName { get; init; }

    /// <summary>Storage format.</summary>
    public WfdbFormat Format { get; init; } = WfdbFormat.Format16;

    /// <summary>Samples of this signal per frame (the <c>x</c> suffix of the format field); 1 by default.</summary>
    public int SamplesPerFrame { get; init; } = 1;

    /// <summary>Skew in frames (the <c>:</c> suffix): sample <c>t</c> of this signal is stored in frame <c>t + Skew</c>.</summary>
    public int Skew { get; init; }

    /// <summary>Bytes to skip at the start of the signal file (the <c>+</c> suffix; e.g. 24 for CinC MATLAB v4 files).</summary>
    public long ByteOffset { get; init; }

    /// <summary>ADC units per physical unit (WFDB default 200 when the header gives 0 or omits it).</summary>
    public double Gain { get; init; } = 200;

    /// <summary>The digital value of physical zero (defaults to <see cref="AdcZero"/>).</summary>
    public int Baseline { get; init; }

    /// <summary>Physical units (WFDB default <c>mV</c>).</summary>
    public string Units { get; init; } = "mV";

    /// <summary>ADC resolution in bits (defaults depend on the format: 12 for 212, 8 for 80, 16 for 16, ...).</summary>
    public int AdcResolution { get; init; }

    /// <summary>The digital value at the middle of the ADC range.</summary>
    public int AdcZero { get; init; }

    /// <summary>The first digital sample, when the header gives it (checked on read).</summary>
    public int? InitialValue { get; init; }

    /// <summary>16-bit checksum of all digital samples (signed or unsigned as written), when the header gives it.</summary>
    public int? Checksum { get; init; }

    /// <summary>Block size in bytes (0 for ordinary files).</summary>
    public int BlockSize { get; init; }

    /// <summary>The signal description (usually the lead name).</summary>
    public string Description { get; init; } = "";
}
