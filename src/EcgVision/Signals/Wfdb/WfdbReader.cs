using System.Buffers;
using System.Globalization;
using System.Text;

namespace EcgVision.Signals.Wfdb;

/// <summary>Reads single-segment PhysioNet WFDB records (<c>.hea</c> header plus signal files) into <see cref="EcgRecord"/>s.</summary>
/// <remarks>
/// Supports signal formats 0, 8, 16, 24, 32, 61, 80, 160, 212, 310 and 311, several signals interleaved in one file, several files per record,
/// samples per frame (<c>x</c>), skew (<c>:</c>) and byte offsets (<c>+</c>, e.g. the CinC 2021 <c>.mat</c> files written as <c>16x1+24</c>).
/// Physical value = (digital − baseline) / gain, converted to millivolts from the header units (mV, µV/uV, V, nV); other units are kept unconverted.
/// The format's invalid-sample sentinel becomes <see cref="float.NaN"/>. Checksums (signed or unsigned in the header) and initial values are
/// verified unless <see cref="WfdbReadOptions.VerifyChecksums"/> is off. Header sizes, signal counts and sample counts are checked against
/// limits and against the actual signal file length before anything large is allocated.
/// </remarks>
public static class WfdbReader
{
    // Samples per frame summed over the signals of one file; real records have a few hundred at most.
    private const int MaxFrameSize = 1 << 24;

    /// <summary>Reads a record in physical units (millivolts).</summary>
    /// <param name="recordPath">The record's <c>.hea</c> file, or its path without extension (<c>records100/00000/00001_lr</c>), or one of its signal files.</param>
    /// <param name="options">Read options; <see langword="null"/> for the defaults.</param>
    /// <returns>The record; <see cref="EcgMetadata.Id"/> is the record name and <see cref="EcgMetadata.Source"/> the header path.</returns>
    /// <exception cref="FileNotFoundException">The header or a signal file does not exist.</exception>
    /// <exception cref="EcgFormatException">The header or a signal file is malformed, truncated, or fails its checksum.</exception>
    /// <exception cref="NotSupportedException">The record is multi-segment, FLAC-compressed, or mixes samples-per-frame values.</exception>
    public static EcgRecord Read(string recordPath, WfdbReadOptions? options = null)
    {
        options ??= WfdbReadOptions.Default;
        options.Validate();
        string hea = ResolveHeaderPath(recordPath);
        var digital = ReadDigitalFromFiles(hea, options);
        return ToRecord(digital, hea);
    }

    /// <summary>Reads a record from streams: the header, and a callback that opens each signal file named in it.</summary>
    /// <param name="header">The header stream (not disposed).</param>
    /// <param name="openSignalFile">Opens a signal file by the name the header gives; the streams it returns are disposed after reading.</param>
    /// <param name="source">A name for error messages and <see cref="EcgMetadata.Source"/> (e.g. the header path).</param>
    /// <param name="options">Read options; <see langword="null"/> for the defaults.</param>
    /// <returns>The record in millivolts.</returns>
    /// <exception cref="EcgFormatException">The header or a signal stream is malformed, truncated, or fails its checksum.</exception>
    /// <exception cref="NotSupportedException">The record is multi-segment, FLAC-compressed, or mixes samples-per-frame values.</exception>
    public static EcgRecord Read(Stream header, Func<string, Stream> openSignalFile, string? source = null, WfdbReadOptions? options = null)
    {
        var digital = ReadDigital(header, openSignalFile, source, options);
        return ToRecord(digital, source);
    }

    /// <summary>Reads and parses a header file only.</summary>
    /// <param name="path">The <c>.hea</c> file or the record path without extension.</param>
    /// <param name="options">Read options (only <see cref="WfdbReadOptions.MaxSignals"/> applies).</param>
    /// <returns>The parsed header.</returns>
    /// <exception cref="FileNotFoundException">The header does not exist.</exception>
    /// <exception cref="EcgFormatException">The header is malformed.</exception>
    /// <exception cref="NotSupportedException">The record is multi-segment.</exception>
    public static WfdbHeader ReadHeader(string path, WfdbReadOptions? options = null)
    {
        options ??= WfdbReadOptions.Default;
        options.Validate();
        string hea = ResolveHeaderPath(path);
        using var stream = File.OpenRead(hea);
        return ParseHeader(stream, hea, options);
    }

    /// <summary>Parses a header from a stream.</summary>
    /// <param name="header">The header text (UTF-8 or ASCII); not disposed.</param>
    /// <param name="source">A name for error messages.</param>
    /// <param name="options">Read options (only <see cref="WfdbReadOptions.MaxSignals"/> applies).</param>
    /// <returns>The parsed header.</returns>
    /// <exception cref="EcgFormatException">The header is malformed.</exception>
    /// <exception cref="NotSupportedException">The record is multi-segment.</exception>
    public static WfdbHeader ReadHeader(Stream header, string? source = null, WfdbReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        options ??= WfdbReadOptions.Default;
        options.Validate();
        return ParseHeader(header, source ?? "<header stream>", options);
    }

    /// <summary>Reads the raw digital samples of a record together with its header.</summary>
    /// <param name="recordPath">The <c>.hea</c> file or the record path without extension.</param>
    /// <param name="options">Read options; <see langword="null"/> for the defaults.</param>
    /// <returns>The digital samples, signal-major, with the invalid-sample sentinel left in place.</returns>
    /// <exception cref="FileNotFoundException">The header or a signal file does not exist.</exception>
    /// <exception cref="EcgFormatException">The header or a signal file is malformed, truncated, or fails its checksum.</exception>
    /// <exception cref="NotSupportedException">The record is multi-segment or FLAC-compressed.</exception>
    public static WfdbDigitalRecord ReadDigital(string recordPath, WfdbReadOptions? options = null)
    {
        options ??= WfdbReadOptions.Default;
        options.Validate();
        return ReadDigitalFromFiles(ResolveHeaderPath(recordPath), options);
    }

    /// <summary>Reads the raw digital samples of a record from streams.</summary>
    /// <param name="header">The header stream (not disposed).</param>
    /// <param name="openSignalFile">Opens a signal file by the name the header gives; the streams it returns are disposed after reading.</param>
    /// <param name="source">A name for error messages.</param>
    /// <param name="options">Read options; <see langword="null"/> for the defaults.</param>
    /// <returns>The digital samples.</returns>
    /// <exception cref="EcgFormatException">The header or a signal stream is malformed, truncated, or fails its checksum.</exception>
    /// <exception cref="NotSupportedException">The record is multi-segment or FLAC-compressed.</exception>
    public static WfdbDigitalRecord ReadDigital(Stream header, Func<string, Stream> openSignalFile, string? source = null, WfdbReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(openSignalFile);
        options ??= WfdbReadOptions.Default;
        options.Validate();
        source ??= "<header stream>";
        var h = ParseHeader(header, source, options);
        return ReadSamples(h, source, name => (openSignalFile(name), name), options);
    }

    /// <summary>Finds the header file for a record path given with or without <c>.hea</c>, or as one of its signal files.</summary>
    /// <param name="recordPath">The path.</param>
    /// <returns>The full path of the existing <c>.hea</c> file.</returns>
    /// <exception cref="FileNotFoundException">No header exists for the path.</exception>
    public static string ResolveHeaderPath(string recordPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recordPath);
        string full = Path.GetFullPath(recordPath);
        if (full.EndsWith(".hea", StringComparison.OrdinalIgnoreCase))
        {
            return File.Exists(full) ? full : throw new FileNotFoundException($"WFDB header '{full}' does not exist.", full);
        }

        if (File.Exists(full + ".hea"))
        {
            return full + ".hea";
        }

        string sibling = Path.ChangeExtension(full, ".hea");
        if (Path.HasExtension(full) && File.Exists(sibling))
        {
            return sibling;
        }

        throw new FileNotFoundException($"WFDB record '{recordPath}' not found: neither '{full}.hea' nor '{sibling}' exists.", full + ".hea");
    }

    private static WfdbHeader ParseHeader(Stream stream, string source, WfdbReadOptions options)
    {
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 4096, leaveOpen: true);
        return WfdbHeaderParser.Parse(reader, source, options.MaxSignals);
    }

    private static WfdbDigitalRecord ReadDigitalFromFiles(string hea, WfdbReadOptions options)
    {
        WfdbHeader header;
        using (var stream = File.OpenRead(hea))
        {
            header = ParseHeader(stream, hea, options);
        }

        string dir = Path.GetDirectoryName(hea)!;
        return ReadSamples(header, hea, name =>
        {
            string path = Path.GetFullPath(Path.Combine(dir, name));
            string relative = Path.GetRelativePath(dir, path);
            if (Path.IsPathRooted(name) || relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
            {
                int bad = header.Signals.ToList().FindIndex(s => s.FileName == name);
                throw WfdbHeaderParser.Err(hea, $"file name of signal {bad}", $"signal files must lie in the header's folder or below it (got '{name}').");
            }

            if (!File.Exists(path))
            {
                int i = header.Signals.ToList().FindIndex(s => s.FileName == name);
                throw new FileNotFoundException(
                    $"{hea}: signal file of signal {i} ({header.Signals[i].Description}) '{name}' does not exist (looked for '{path}').", path);
            }

            return (new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), path);
        }, options);
    }

    private static WfdbDigitalRecord ReadSamples(WfdbHeader header, string source, Func<string, (Stream Stream, string Name)> open, WfdbReadOptions options)
    {
        if (header.SignalCount == 0)
        {
            throw WfdbHeaderParser.Err(source, "signal count", "the record has no signals, so there are no samples to read.");
        }

        var signals = header.Signals;
        var groups = new List<(string File, List<int> Members)>();
        foreach (var (spec, i) in signals.Select((s, i) => (s, i)))
        {
            if (spec.Format == WfdbFormat.Null)
            {
                continue;
            }

            var g = groups.Find(x => x.File == spec.FileName);
            if (g.Members is null)
            {
                groups.Add((spec.FileName, [i]));
            }
            else
            {
                var first = signals[g.Members[0]];
                if (first.Format != spec.Format || first.ByteOffset != spec.ByteOffset)
                {
                    throw new NotSupportedException($"{source}: signals {g.Members[0]} and {i} share the file '{spec.FileName}' but differ in format or byte offset ({(int)first.Format}+{first.ByteOffset} vs {(int)spec.Format}+{spec.ByteOffset}).");
                }

                g.Members.Add(i);
            }
        }

        // Read every signal file first (bounded by its real length), so the frame count can come from the files when the header omits it.
        // File bytes and the decoded interleaved stream are pooled: they are large (LOH) and short-lived.
        var blobs = new List<SignalBlob>(groups.Count);
        try
        {
            int? frames = header.SampleCount;
            foreach (var (file, members) in groups)
            {
                var spec0 = signals[members[0]];
                long frameSizeLong = members.Sum(m => (long)signals[m].SamplesPerFrame);
                if (frameSizeLong > MaxFrameSize)
                {
                    // Found by fuzzing (docs/fuzzing.md): two huge samples-per-frame values overflowed an int sum.
                    throw WfdbHeaderParser.Err(source, "samples per frame",
                        $"the signals stored in '{file}' declare {frameSizeLong} samples per frame in total; at most {MaxFrameSize} are supported.");
                }

                int frameSize = (int)frameSizeLong;
                int maxSkew = members.Max(m => signals[m].Skew);
                long? wanted = frames is int f ? WfdbCodec.ByteCount(spec0.Format, ((long)f + maxSkew) * frameSize) : null;
                var (stream, name) = open(file);
                SignalBlob blob;
                using (stream)
                {
                    blob = ReadBounded(stream, spec0.ByteOffset, wanted, options.MaxSignalFileBytes, name);
                }

                blobs.Add(blob);
                long capacity = WfdbCodec.SampleCapacity(spec0.Format, blob.Length) / frameSize;
                if (frames is int needed && capacity < needed)
                {
                    throw WfdbHeaderParser.Err(name, "signal file length",
                        $"the file holds {blob.Length} bytes after the {spec0.ByteOffset}-byte offset, which is {capacity} frames, but the header '{source}' declares {needed} samples per signal ({members.Count} signals, format {(int)spec0.Format}, {WfdbCodec.ByteCount(spec0.Format, (long)needed * frameSize)} bytes needed); the file is truncated.");
                }

                frames ??= (int)Math.Min(capacity, int.MaxValue);
                blob.FrameCapacity = capacity;
                blob.FrameSize = frameSize;
            }

            int frameCount = frames ?? 0;
            var offsets = new int[signals.Count + 1];
            long total = 0;
            for (int i = 0; i < signals.Count; i++)
            {
                offsets[i] = (int)Math.Min(total, int.MaxValue);
                total += (long)frameCount * signals[i].SamplesPerFrame;
                if (total > Array.MaxLength)
                {
                    throw WfdbHeaderParser.Err(source, "samples per signal", $"{frameCount} samples × {signals.Count} signals exceeds the largest array .NET can hold ({Array.MaxLength}).");
                }
            }

            offsets[^1] = (int)total;
            var samples = new int[total];
            for (int i = 0; i < signals.Count; i++)
            {
                if (signals[i].Format == WfdbFormat.Null)
                {
                    samples.AsSpan(offsets[i], offsets[i + 1] - offsets[i]).Fill(WfdbCodec.InvalidSample(WfdbFormat.Null));
                }
            }

            for (int gi = 0; gi < groups.Count; gi++)
            {
                var members = groups[gi].Members;
                var blob = blobs[gi];
                var format = signals[members[0]].Format;
                int frameSize = blob.FrameSize;
                long framesInFile = Math.Min(blob.FrameCapacity, frameCount + (long)members.Max(m => signals[m].Skew));
                int streamLength = (int)(framesInFile * frameSize);
                int[] rented = ArrayPool<int>.Shared.Rent(streamLength);
                try
                {
                    var stream = rented.AsSpan(0, streamLength);
                    WfdbCodec.Decode(format, blob.Bytes.AsSpan(0, blob.Length), stream);
                    Distribute(signals, members, stream, frameSize, framesInFile, frameCount, samples, offsets);
                }
                finally
                {
                    ArrayPool<int>.Shared.Return(rented);
                }

                foreach (int m in members)
                {
                    var dest = samples.AsSpan(offsets[m], offsets[m + 1] - offsets[m]);
                    if (format == WfdbFormat.Format8)
                    {
                        int value = signals[m].InitialValue ?? signals[m].AdcZero;
                        for (int t = 0; t < dest.Length; t++)
                        {
                            value += dest[t];
                            dest[t] = value;
                        }
                    }

                    if (options.VerifyChecksums)
                    {
                        Verify(signals[m], m, dest, blob.Name, source);
                    }
                }
            }

            return new WfdbDigitalRecord(header with { SampleCount = frameCount }, frameCount, samples, offsets);
        }
        finally
        {
            foreach (var blob in blobs)
            {
                blob.Release();
            }
        }
    }

    /// <summary>Moves each signal's samples out of the interleaved frame stream of its file, applying samples-per-frame and skew.</summary>
    private static void Distribute(IReadOnlyList<WfdbSignalSpec> signals, List<int> members, ReadOnlySpan<int> stream, int frameSize, long framesInFile, int frameCount, int[] samples, int[] offsets)
    {
        int within = 0;
        foreach (int m in members)
        {
            var spec = signals[m];
            int spf = spec.SamplesPerFrame;
            var dest = samples.AsSpan(offsets[m], frameCount * spf);
            int invalid = WfdbCodec.InvalidSample(spec.Format);
            if (spf == 1 && spec.Skew == 0 && framesInFile >= frameCount)
            {
                // The common case (PTB-XL, CinC): one sample per frame, no skew.
                int pos = within;
                for (int t = 0; t < dest.Length; t++, pos += frameSize)
                {
                    dest[t] = stream[pos];
                }
            }
            else
            {
                for (int t = 0; t < frameCount; t++)
                {
                    long frame = (long)t + spec.Skew;
                    for (int k = 0; k < spf; k++)
                    {
                        dest[(t * spf) + k] = frame < framesInFile ? stream[(int)((frame * frameSize) + within + k)] : invalid;
                    }
                }
            }

            within += spf;
        }
    }

    private static void Verify(WfdbSignalSpec spec, int index, ReadOnlySpan<int> samples, string file, string header)
    {
        if (spec.InitialValue is int init && spec.Format != WfdbFormat.Format8 && samples.Length > 0 && samples[0] != init)
        {
            throw WfdbHeaderParser.Err(header, $"initial value of signal {index} ({spec.Description})",
                $"the header gives {init} but the first sample in '{file}' is {samples[0]}.");
        }

        if (spec.Checksum is int expected)
        {
            int sum = 0;
            foreach (int s in samples)
            {
                sum += s;
            }

            // Checksums are 16-bit sums; headers write them signed or unsigned, so compare modulo 2^16.
            if ((ushort)sum != (ushort)expected)
            {
                throw WfdbHeaderParser.Err(header, $"checksum of signal {index} ({spec.Description})",
                    $"the header gives {expected} but the samples in '{file}' sum to {(short)sum} (unsigned {(ushort)sum}); the signal file is corrupt or does not belong to this header.");
            }
        }
    }

    private sealed class SignalBlob(byte[] bytes, int length, bool pooled, string name)
    {
        public byte[] Bytes { get; private set; } = bytes;

        public int Length { get; } = length;

        public string Name { get; } = name;

        public long FrameCapacity { get; set; }

        public int FrameSize { get; set; } = 1;

        public void Release()
        {
            if (pooled && Bytes.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(Bytes);
            }

            Bytes = [];
        }
    }

    private static SignalBlob ReadBounded(Stream stream, long offset, long? wantedBytes, long maxBytes, string name)
    {
        if (stream.CanSeek)
        {
            if (stream.Length < offset)
            {
                throw WfdbHeaderParser.Err(name, "byte offset", $"the file has {stream.Length} bytes, fewer than its {offset}-byte offset; the file is truncated.");
            }

            long available = stream.Length - offset;
            long take = wantedBytes is long w ? Math.Min(w, available) : available;
            if (take > maxBytes || take > Array.MaxLength)
            {
                throw WfdbHeaderParser.Err(name, "signal file length", $"reading {take} bytes exceeds the limit of {Math.Min(maxBytes, Array.MaxLength)} bytes (WfdbReadOptions.MaxSignalFileBytes).");
            }

            stream.Seek(offset, SeekOrigin.Begin);
            byte[] bytes = ArrayPool<byte>.Shared.Rent((int)take);
            try
            {
                stream.ReadExactly(bytes, 0, (int)take);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(bytes);
                throw;
            }

            return new SignalBlob(bytes, (int)take, pooled: true, name);
        }

        // Unseekable: skip the offset, then copy no more than wanted (or the limit) so a lying header cannot force a huge allocation.
        long skip = offset;
        var scratch = new byte[8192];
        while (skip > 0)
        {
            int n = stream.Read(scratch, 0, (int)Math.Min(scratch.Length, skip));
            if (n == 0)
            {
                throw WfdbHeaderParser.Err(name, "byte offset", $"the stream ended before its {offset}-byte offset; the file is truncated.");
            }

            skip -= n;
        }

        long limit = Math.Min(Math.Min(wantedBytes ?? long.MaxValue, maxBytes), Array.MaxLength);
        using var ms = new MemoryStream();
        while (ms.Length < limit)
        {
            int n = stream.Read(scratch, 0, (int)Math.Min(scratch.Length, limit - ms.Length));
            if (n == 0)
            {
                break;
            }

            ms.Write(scratch, 0, n);
        }

        if (wantedBytes is null && ms.Length >= limit && stream.Read(scratch, 0, 1) > 0)
        {
            throw WfdbHeaderParser.Err(name, "signal file length", $"the stream is longer than the limit of {limit} bytes (WfdbReadOptions.MaxSignalFileBytes).");
        }

        byte[] copy = ms.ToArray();
        return new SignalBlob(copy, copy.Length, pooled: false, name);
    }

    internal static EcgRecord ToRecord(WfdbDigitalRecord digital, string? source)
    {
        var header = digital.Header;
        var signals = header.Signals;
        int spf = signals[0].SamplesPerFrame;
        if (signals.Any(s => s.SamplesPerFrame != spf))
        {
            throw new NotSupportedException($"{source}: signals have different samples per frame ({string.Join(", ", signals.Select(s => s.SamplesPerFrame))}); an EcgRecord needs one sampling rate for all leads. Use WfdbReader.ReadDigital for such records.");
        }

        int n = digital.FrameCount * spf;
        var data = new float[signals.Count * n];
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < signals.Count; i++)
        {
            var spec = signals[i];
            double unit = UnitToMillivolts(spec.Units);
            if (double.IsNaN(unit))
            {
                unit = 1;
                properties[$"units:{LeadName(spec, i)}"] = spec.Units;
            }

            double scale = unit / spec.Gain;
            int invalid = WfdbCodec.InvalidSample(spec.Format);
            var src = digital.GetSignal(i);
            var dst = data.AsSpan(i * n, n);
            int baseline = spec.Baseline;
            for (int t = 0; t < dst.Length; t++)
            {
                int d = src[t];
                dst[t] = d == invalid ? float.NaN : (float)((d - baseline) * scale);
            }
        }

        var names = new string[signals.Count];
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < names.Length; i++)
        {
            string name = StandardLeads.Canonicalize(LeadName(signals[i], i));
            string unique = name;
            for (int k = 2; !seen.Add(unique); k++)
            {
                unique = $"{name} ({k})";
            }

            names[i] = unique;
        }

        var metadata = WfdbComments.Apply(new EcgMetadata
        {
            Id = header.RecordName,
            Source = source,
            Comments = header.Comments,
            AcquisitionTime = header.BaseDate is DateOnly date
                ? new DateTimeOffset(date.ToDateTime(header.BaseTime ?? TimeOnly.MinValue), TimeSpan.Zero)
                : null,
        }, header.Comments, properties);
        return new EcgRecord(data, header.SamplingFrequency * spf, names, metadata, takeOwnership: true);
    }

    private static string LeadName(WfdbSignalSpec spec, int index) =>
        string.IsNullOrWhiteSpace(spec.Description) ? $"signal{index}" : spec.Description.Trim();

    /// <summary>Millivolts per header unit, or NaN for units that are not voltages.</summary>
    internal static double UnitToMillivolts(string units) => units.Trim() switch
    {
        var u when u.Equals("mV", StringComparison.OrdinalIgnoreCase) => 1,
        "uV" or "UV" or "uv" or "μV" or "µV" or "microvolt" or "microvolts" => 1e-3,
        "V" or "v" or "volt" or "volts" => 1e3,
        "nV" or "nv" => 1e-6,
        _ => double.NaN,
    };

    internal static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
