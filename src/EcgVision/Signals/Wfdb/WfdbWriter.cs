using System.Globalization;
using System.Text;
using EcgVision.Internal;

namespace EcgVision.Signals.Wfdb;

/// <summary>What <see cref="WfdbWriter"/> does with a value outside the range its format can hold.</summary>
public enum WfdbOutOfRangePolicy
{
    /// <summary>Throw an <see cref="ArgumentException"/> naming the lead, sample, value and range (default).</summary>
    Throw = 0,

    /// <summary>Clip to the nearest value the format can hold (the invalid-sample sentinel is never produced by clipping).</summary>
    Clip = 1,
}

/// <summary>Options for <see cref="WfdbWriter.Write(EcgRecord, string, string, WfdbWriteOptions?)"/>.</summary>
public sealed record WfdbWriteOptions
{
    /// <summary>Storage format (default <see cref="WfdbFormat.Format16"/>). Writable: 16, 212, 80, 61, 160, 24, 32.</summary>
    public WfdbFormat Format { get; init; } = WfdbFormat.Format16;

    /// <summary>ADC units per millivolt; <see langword="null"/> picks a format default: 1000 for 16/61/160 (1 µV steps, as PTB-XL), 200 for 212, 20 for 80, 100000 for 24, 1000000 for 32.</summary>
    public double? Gain { get; init; }

    /// <summary>ADC resolution in bits written to the header; <see langword="null"/> for the format's bit width.</summary>
    public int? AdcResolution { get; init; }

    /// <summary>ADC zero written to the header (default 0).</summary>
    public int AdcZero { get; init; }

    /// <summary>The digital value of 0 mV; <see langword="null"/> for <see cref="AdcZero"/>.</summary>
    public int? Baseline { get; init; }

    /// <summary>What to do with values the format cannot hold (default <see cref="WfdbOutOfRangePolicy.Throw"/>).</summary>
    public WfdbOutOfRangePolicy OutOfRange { get; init; } = WfdbOutOfRangePolicy.Throw;

    /// <summary>Whether an existing <c>.hea</c>/<c>.dat</c> of the same record name may be replaced (default <see langword="false"/>: throw).</summary>
    public bool Overwrite { get; init; }

    internal static double DefaultGain(WfdbFormat format) => format switch
    {
        WfdbFormat.Format212 => 200,
        WfdbFormat.Format80 => 20,
        WfdbFormat.Format24 => 1e5,
        WfdbFormat.Format32 => 1e6,
        _ => 1000,
    };
}

/// <summary>Writes single-segment WFDB records (<c>NAME.hea</c> + <c>NAME.dat</c>), atomically.</summary>
/// <remarks>
/// Digital value = round(mV × gain) + baseline; <see cref="float.NaN"/> becomes the format's invalid-sample sentinel, which reads back as NaN.
/// Checksums and initial values are computed. Reading a written record with <see cref="WfdbReader"/> gives back exactly the digital values written.
/// Both files are written through <see cref="AtomicFile"/>; an existing record is replaced only with <see cref="WfdbWriteOptions.Overwrite"/>.
/// </remarks>
public static class WfdbWriter
{
    /// <summary>Writes a record in physical units as a WFDB record.</summary>
    /// <param name="record">The record (millivolts).</param>
    /// <param name="directory">The folder to write into (created if needed).</param>
    /// <param name="recordName">The record name: letters, digits, <c>_</c>, <c>-</c>, <c>.</c>.</param>
    /// <param name="options">Write options; <see langword="null"/> for the defaults.</param>
    /// <returns>The header as written (with checksums and initial values).</returns>
    /// <exception cref="ArgumentException">A name is invalid, or a value does not fit the format under <see cref="WfdbOutOfRangePolicy.Throw"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="NotSupportedException">The format cannot be written.</exception>
    /// <exception cref="IOException">The record exists and <see cref="WfdbWriteOptions.Overwrite"/> is off.</exception>
    public static WfdbHeader Write(EcgRecord record, string directory, string recordName, WfdbWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        options ??= new WfdbWriteOptions();
        ValidateName(recordName);
        if (!WfdbCodec.CanWrite(options.Format))
        {
            throw new NotSupportedException($"Format must be one of 16, 212, 80, 61, 160, 24, 32 for writing (got {(int)options.Format}).");
        }

        double gain = options.Gain ?? WfdbWriteOptions.DefaultGain(options.Format);
        if (!double.IsFinite(gain) || gain <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), gain, $"Gain must be finite and greater than 0 (got {gain.ToString(CultureInfo.InvariantCulture)}).");
        }

        int bits = options.AdcResolution ?? WfdbCodec.DefaultResolution(options.Format);
        if (bits is < 1 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(options), bits, $"AdcResolution must be between 1 and 32 (got {bits}).");
        }

        int baseline = options.Baseline ?? options.AdcZero;
        int invalid = WfdbCodec.InvalidSample(options.Format);
        int max = WfdbCodec.MaxValue(options.Format);
        int n = record.SampleCount;
        var digital = new int[record.LeadCount * n];
        ReadOnlySpan<float> mv = record.Samples;
        for (int i = 0; i < digital.Length; i++)
        {
            float x = mv[i];
            if (float.IsNaN(x))
            {
                digital[i] = invalid;
                continue;
            }

            double d = Math.Round(x * gain, MidpointRounding.AwayFromZero) + baseline;
            if (!(d > invalid && d <= max))
            {
                if (options.OutOfRange == WfdbOutOfRangePolicy.Throw)
                {
                    throw new ArgumentException(
                        $"Lead {record.LeadNames[i / n]} sample {i % n} is {x.ToString(CultureInfo.InvariantCulture)} mV = {d.ToString(CultureInfo.InvariantCulture)} ADC units at gain {gain.ToString(CultureInfo.InvariantCulture)}, outside the range of format {(int)options.Format} ({invalid + 1}..{max}); lower the Gain or set OutOfRange = Clip.",
                        nameof(record));
                }

                d = Math.Clamp(double.IsNaN(d) ? 0 : d, invalid + 1, max);
            }

            digital[i] = (int)d;
        }

        var md = record.Metadata;
        var comments = new List<string>(md.Comments);
        if (md.Age is double age && !comments.Any(c => c.StartsWith("Age:", StringComparison.OrdinalIgnoreCase)))
        {
            comments.Add($"Age: {age.ToString("R", CultureInfo.InvariantCulture)}");
        }

        if (md.Sex != Sex.Unknown && !comments.Any(c => c.StartsWith("Sex:", StringComparison.OrdinalIgnoreCase)))
        {
            comments.Add($"Sex: {md.Sex}");
        }

        DateTime? when = md.AcquisitionTime?.DateTime;
        var header = new WfdbHeader
        {
            RecordName = recordName,
            SamplingFrequency = record.SamplingRate,
            SampleCount = n,
            BaseTime = when is DateTime t1 ? TimeOnly.FromDateTime(t1) : null,
            BaseDate = when is DateTime t2 ? DateOnly.FromDateTime(t2) : null,
            Comments = comments,
            Signals = record.LeadNames.Select(name => new WfdbSignalSpec
            {
                FileName = recordName + ".dat",
                Format = options.Format,
                Gain = gain,
                Baseline = baseline,
                Units = "mV",
                AdcResolution = bits,
                AdcZero = options.AdcZero,
                Description = name,
            }).ToArray(),
        };
        return WriteDigital(directory, header, digital, options.Overwrite);
    }

    /// <summary>Writes digital samples with a given header; checksums, initial values and the sample count are computed.</summary>
    /// <param name="directory">The folder to write into (created if needed).</param>
    /// <param name="header">The record name, sampling frequency, signal specs (file name, format, gain, baseline, units, ...) and comments.</param>
    /// <param name="samples">Digital samples, signal-major <c>[signals, samples]</c>; each value must fit the signal's format (its sentinel marks a missing sample).</param>
    /// <param name="overwrite">Whether existing files of the record may be replaced.</param>
    /// <returns>The header as written.</returns>
    /// <exception cref="ArgumentException">The samples do not match the signal count, a value does not fit its format, or a name is invalid.</exception>
    /// <exception cref="NotSupportedException">A format cannot be written, or a signal uses samples per frame, skew, or a block size.</exception>
    /// <exception cref="IOException">A target file exists and <paramref name="overwrite"/> is off.</exception>
    public static WfdbHeader WriteDigital(string directory, WfdbHeader header, ReadOnlySpan<int> samples, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(header);
        ValidateName(header.RecordName);
        int nsig = header.SignalCount;
        if (nsig == 0 || samples.Length % nsig != 0)
        {
            throw new ArgumentException($"samples length ({samples.Length}) must be a multiple of the signal count ({nsig}), which must be at least 1.", nameof(samples));
        }

        if (!double.IsFinite(header.SamplingFrequency) || header.SamplingFrequency <= 0)
        {
            throw new ArgumentException($"header.SamplingFrequency must be finite and greater than 0 (got {header.SamplingFrequency.ToString(CultureInfo.InvariantCulture)}).", nameof(header));
        }

        int n = samples.Length / nsig;
        var specs = new WfdbSignalSpec[nsig];
        for (int i = 0; i < nsig; i++)
        {
            var spec = header.Signals[i] ?? throw new ArgumentException($"header.Signals[{i}] is null.", nameof(header));
            if (!WfdbCodec.CanWrite(spec.Format))
            {
                throw new NotSupportedException($"Signal {i} format must be one of 16, 212, 80, 61, 160, 24, 32 for writing (got {(int)spec.Format}).");
            }

            if (spec.SamplesPerFrame != 1 || spec.Skew != 0 || spec.BlockSize != 0)
            {
                throw new NotSupportedException($"Signal {i}: writing samples per frame ({spec.SamplesPerFrame}), skew ({spec.Skew}) or block size ({spec.BlockSize}) other than 1/0/0 is not supported.");
            }

            ValidateFileName(spec.FileName, i);
            if (!(spec.Gain > 0) || !double.IsFinite(spec.Gain))
            {
                throw new ArgumentException($"Signal {i} gain must be finite and greater than 0 (got {spec.Gain.ToString(CultureInfo.InvariantCulture)}).", nameof(header));
            }

            var lead = samples.Slice(i * n, n);
            int lo = WfdbCodec.InvalidSample(spec.Format), hi = WfdbCodec.MaxValue(spec.Format);
            int sum = 0;
            for (int t = 0; t < n; t++)
            {
                int v = lead[t];
                if (v < lo || v > hi)
                {
                    throw new ArgumentException($"Signal {i} ({spec.Description}) sample {t} is {v}, outside the range of format {(int)spec.Format} ({lo}..{hi}).", nameof(samples));
                }

                sum += v;
            }

            specs[i] = spec with { Checksum = (short)sum, InitialValue = n > 0 ? lead[0] : spec.AdcZero };
        }

        string dir = Path.GetFullPath(directory);
        string hea = Path.Combine(dir, header.RecordName + ".hea");
        var files = specs.Select(s => s.FileName).Distinct(StringComparer.Ordinal).ToList();
        if (!overwrite)
        {
            foreach (string path in files.Select(f => Path.Combine(dir, f)).Prepend(hea))
            {
                if (File.Exists(path))
                {
                    throw new IOException($"'{path}' already exists; refusing to overwrite it (set Overwrite / overwrite: true to replace the record).");
                }
            }
        }

        var written = header with { Signals = specs, SampleCount = n };
        foreach (string file in files)
        {
            var members = Enumerable.Range(0, nsig).Where(i => specs[i].FileName == file).ToArray();
            var format = specs[members[0]].Format;
            long offset = specs[members[0]].ByteOffset;
            if (members.Any(m => specs[m].Format != format || specs[m].ByteOffset != offset))
            {
                throw new ArgumentException($"Signals stored in '{file}' must share one format and byte offset.", nameof(header));
            }

            long count = (long)n * members.Length;
            long bytes = WfdbCodec.ByteCount(format, count);
            if (count > Array.MaxLength || offset + bytes > Array.MaxLength)
            {
                throw new ArgumentException($"'{file}' would hold {bytes} bytes, more than one array can hold.", nameof(samples));
            }

            var interleaved = new int[count];
            for (int j = 0; j < members.Length; j++)
            {
                var lead = samples.Slice(members[j] * n, n);
                for (int t = 0; t < n; t++)
                {
                    interleaved[((long)t * members.Length) + j] = lead[t];
                }
            }

            var buffer = new byte[offset + bytes];
            WfdbCodec.Encode(format, interleaved, buffer.AsSpan((int)offset));
            AtomicFile.WriteAllBytes(Path.Combine(dir, file), buffer);
        }

        AtomicFile.WriteAllText(hea, FormatHeader(written));
        return written;
    }

    /// <summary>Formats a header as WFDB header text.</summary>
    /// <param name="header">The header.</param>
    /// <returns>The text, one line per record/signal/comment, ending in a newline.</returns>
    public static string FormatHeader(WfdbHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append(header.RecordName).Append(' ').Append(header.SignalCount.ToString(inv)).Append(' ').Append(Num(header.SamplingFrequency));
        if (header.CounterFrequency is double cf)
        {
            sb.Append('/').Append(Num(cf));
            if (header.BaseCounter is double bc)
            {
                sb.Append('(').Append(Num(bc)).Append(')');
            }
        }

        if (header.SampleCount is int n)
        {
            sb.Append(' ').Append(n.ToString(inv));
            if (header.BaseTime is TimeOnly time)
            {
                sb.Append(' ').Append(time.ToString(time.Millisecond != 0 ? "HH:mm:ss.fff" : "HH:mm:ss", inv));
                if (header.BaseDate is DateOnly date)
                {
                    sb.Append(' ').Append(date.ToString("dd/MM/yyyy", inv));
                }
            }
        }

        sb.Append('\n');
        foreach (var s in header.Signals)
        {
            sb.Append(s.FileName).Append(' ').Append(((int)s.Format).ToString(inv));
            if (s.SamplesPerFrame != 1)
            {
                sb.Append('x').Append(s.SamplesPerFrame.ToString(inv));
            }

            if (s.Skew != 0)
            {
                sb.Append(':').Append(s.Skew.ToString(inv));
            }

            if (s.ByteOffset != 0)
            {
                sb.Append('+').Append(s.ByteOffset.ToString(inv));
            }

            sb.Append(' ').Append(Num(s.Gain)).Append('(').Append(s.Baseline.ToString(inv)).Append(")/").Append(s.Units)
              .Append(' ').Append(s.AdcResolution.ToString(inv))
              .Append(' ').Append(s.AdcZero.ToString(inv))
              .Append(' ').Append((s.InitialValue ?? s.AdcZero).ToString(inv))
              .Append(' ').Append((s.Checksum ?? 0).ToString(inv))
              .Append(' ').Append(s.BlockSize.ToString(inv));
            if (!string.IsNullOrEmpty(s.Description))
            {
                sb.Append(' ').Append(s.Description.ReplaceLineEndings(" "));
            }

            sb.Append('\n');
        }

        foreach (string c in header.Comments)
        {
            sb.Append("# ").Append(c.ReplaceLineEndings(" ")).Append('\n');
        }

        return sb.ToString();
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static void ValidateName(string recordName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recordName);
        if (!recordName.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') || recordName.StartsWith('.'))
        {
            throw new ArgumentException($"recordName must consist of ASCII letters, digits, '_', '-' or '.' and not start with '.' (got '{recordName}').", nameof(recordName));
        }
    }

    private static void ValidateFileName(string fileName, int index)
    {
        if (string.IsNullOrWhiteSpace(fileName) || fileName.StartsWith('.') || !fileName.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw new ArgumentException($"Signal {index} file name must be a plain file name of ASCII letters, digits, '_', '-' or '.' (got '{fileName}').", "header");
        }
    }
}
