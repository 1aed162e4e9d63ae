using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using EcgVision.Internal;

namespace EcgVision.Signals.Formats;

/// <summary>Reads SCP-ECG files (EN 1064 / ISO 11073-91064; tested with protocol versions 2.0 and 1.3).</summary>
/// <remarks>
/// <para>
/// Structure: a CRC-CCITT and a file length, then sections, each with a 16-byte header (CRC-CCITT, id, length, versions).
/// Section 0 points at the others (id, length, 1-based byte index). The file CRC and every section CRC are verified; a
/// mismatch, a pointer or length past the end of the file, or a section whose header disagrees with its pointer is an
/// <see cref="EcgFormatException"/>.
/// </para>
/// <para>
/// Samples: section 3 defines the leads (SCP lead ids: 1 = I, 2 = II, 3–8 = V1–V6, 61–64 = III, aVR, aVL, aVF, …; an
/// unknown id is kept as <c>SCP{id}</c>); section 6 holds the rhythm, Huffman-coded with the tables of section 2 (the
/// default table when it says 19999; 16-bit samples when section 2 is absent), as values, first or second differences,
/// in units of its amplitude value multiplier (AVM, nV) at its sample interval (µs). When section 3's flag says the
/// reference beat was subtracted, the reference beat of section 5 is added back around each type-0 QRS of section 4.
/// Bimodal compression (different rates inside and outside the QRS) is rejected as not supported. Leads are returned in
/// the standard 12-lead order, others after them. Section 5 (reference beat, <c>length</c> from section 4) becomes
/// <see cref="EcgDocument.RepresentativeBeats"/>.
/// </para>
/// <para>
/// Metadata (section 1 tags): patient id (tag 2), age (tag 4, else from the birth date of tag 5), sex (tag 8),
/// acquisition date and time (tags 25, 26; no zone, taken as UTC), device model (tag 14) in <c>Properties["Device"]</c>;
/// section 7 global measurements (<c>SCP.QRSOnset</c>, <c>SCP.QRSAxis</c>, <c>SCP.RRInterval</c>, …; ms and degrees)
/// in <c>Properties</c>; section 8 interpretive statements in <c>Report</c>.
/// </para>
/// <para>
/// Limits: files over <see cref="MaxFileBytes"/> are refused; every length is checked against the data present before
/// anything is allocated (a lead cannot declare more samples than its bytes can code: 8 per byte with Huffman, 1 per
/// 2 bytes without); every loop is bounded by the section length.
/// </para>
/// </remarks>
public static class ScpEcgReader
{
    /// <summary>The largest file read (64 MiB; a 10-s 12-lead SCP file is about 30 KiB).</summary>
    public const long MaxFileBytes = 64L << 20;

    private const int HeaderBytes = 16;
    private const int DefaultHuffmanTable = 19999;
    private const int Undefined = 29999;

    /// <summary>Reads the rhythm strip of an SCP-ECG file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The rhythm record (leads in mV).</returns>
    /// <exception cref="EcgFormatException">The file is not a readable SCP-ECG file; the message names the file, field and value.</exception>
    public static EcgRecord Read(string path) => ReadDocument(path).Rhythm;

    /// <summary>Reads the rhythm strip of an SCP-ECG stream (not disposed).</summary>
    /// <param name="stream">The content.</param>
    /// <param name="nameForMessages">A name for error messages and <see cref="EcgMetadata.Source"/>.</param>
    /// <returns>The rhythm record.</returns>
    /// <exception cref="EcgFormatException">The content is not a readable SCP-ECG file.</exception>
    public static EcgRecord Read(Stream stream, string? nameForMessages = null) => ReadDocument(stream, nameForMessages).Rhythm;

    /// <summary>Reads an SCP-ECG file with its reference beat.</summary>
    /// <param name="path">The file.</param>
    /// <returns>Rhythm and, when section 5 is present, the reference beat.</returns>
    /// <exception cref="EcgFormatException">The file is not a readable SCP-ECG file.</exception>
    public static EcgDocument ReadDocument(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = File.OpenRead(path);
        return ReadDocument(stream, path);
    }

    /// <summary>Reads an SCP-ECG stream (not disposed) with its reference beat.</summary>
    /// <param name="stream">The content.</param>
    /// <param name="nameForMessages">A name for error messages and <see cref="EcgMetadata.Source"/>.</param>
    /// <returns>Rhythm and, when section 5 is present, the reference beat.</returns>
    /// <exception cref="EcgFormatException">The content is not a readable SCP-ECG file.</exception>
    public static EcgDocument ReadDocument(Stream stream, string? nameForMessages = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string source = nameForMessages ?? "stream";
        byte[] bytes = EcgFormatHelpers.ReadAllBounded(stream, MaxFileBytes, source, "SCP-ECG");
        return new Parser(bytes, source).Parse();
    }

    private readonly record struct Section(int Id, int Offset, int Length, int Protocol);

    private readonly record struct LeadDefinition(int Start, int End, int Id);

    private readonly record struct HuffmanCode(int PrefixBits, int TotalBits, bool IsValue, int BaseValue, uint Code);

    private readonly record struct Qrs(int Type, int Start, int Fiducial, int End);

    private sealed class HuffmanTable
    {
        /// <summary>Largest prefix length decoded through the direct lookup table (2^12 entries); longer codes use the dictionary.</summary>
        private const int LookupBits = 12;

        private readonly Dictionary<long, HuffmanCode> _codes = [];

        public HuffmanTable(IEnumerable<HuffmanCode> codes)
        {
            foreach (HuffmanCode c in codes)
            {
                _codes.TryAdd(Key(c.PrefixBits, c.Code), c);
                MaxPrefix = Math.Max(MaxPrefix, c.PrefixBits);
            }

            if (MaxPrefix <= LookupBits)
            {
                // Index by the next MaxPrefix bits. Longer codes are written first so that a shorter code overwrites them:
                // the result is the shortest matching prefix, as bit-by-bit matching finds it.
                Lookup = new int[1 << MaxPrefix];
                Entries = [.. _codes.Values.OrderByDescending(c => c.PrefixBits)];
                for (int e = 0; e < Entries.Length; e++)
                {
                    int shift = MaxPrefix - Entries[e].PrefixBits;
                    int first = (int)(Entries[e].Code << shift);
                    Lookup.AsSpan(first, 1 << shift).Fill(e + 1);
                }
            }
        }

        public int MaxPrefix { get; }

        /// <summary>Entry index + 1 for each MaxPrefix-bit pattern (0 = no code), or null when codes are too long for a table.</summary>
        public int[]? Lookup { get; }

        public HuffmanCode[] Entries { get; } = [];

        public bool TryMatch(int bits, uint code, out HuffmanCode entry) => _codes.TryGetValue(Key(bits, code), out entry);

        private static long Key(int bits, uint code) => ((long)bits << 32) | code;
    }

    private static readonly HuffmanTable s_default = CreateDefaultTable();

    private static HuffmanTable CreateDefaultTable()
    {
        // EN 1064 default table: '0' → 0; then 1…1 0 s for ±1 … ±8 (s = sign bit); 10 ones then 0 + 8-bit value, or 10 ones + 16-bit value.
        var codes = new List<HuffmanCode> { new(1, 1, true, 0, 0) };
        for (int v = 1; v <= 8; v++)
        {
            int bits = v + 2;
            uint ones = ((1u << v) - 1) << 2;
            codes.Add(new(bits, bits, true, v, ones));
            codes.Add(new(bits, bits, true, -v, ones | 1));
        }

        codes.Add(new(10, 18, true, 0, 0x3FE));
        codes.Add(new(10, 26, true, 0, 0x3FF));
        return new HuffmanTable(codes);
    }

    private sealed class Parser(byte[] bytes, string source)
    {
        private readonly Dictionary<int, Section> _sections = [];
        private int _length;

        public EcgDocument Parse()
        {
            ReadSectionTable();
            var leads = ReadLeadDefinitions(out bool referenceSubtracted);
            HuffmanTable[]? tables = ReadHuffmanTables();
            EcgMetadata metadata = ReadMetadata();

            (int refLengthMs, int fcM, List<Qrs> qrs)? section4 = ReadQrsLocations();
            double[][]? reference = null;
            int refInterval = 0;
            double refAvm = 0;
            if (_sections.ContainsKey(5) && section4 is { } s4 && s4.refLengthMs > 0)
            {
                (reference, refAvm, refInterval) = ReadReferenceBeat(leads.Count, s4.refLengthMs, tables);
            }

            if (!_sections.TryGetValue(6, out Section rhythmSection))
            {
                throw Error("the file has no rhythm data (section 6); files holding only a reference beat are not supported.", "section 6");
            }

            var (rhythm, avm, interval) = ReadRhythm(rhythmSection, leads, tables);
            if (referenceSubtracted)
            {
                if (reference is null || section4 is null)
                {
                    throw Error("section 3 says the reference beat was subtracted from the rhythm, but sections 4 and 5 (QRS locations and reference beat) are missing or empty.", "section 3 flags");
                }

                if (refInterval != interval)
                {
                    throw Error($"reference-beat subtraction with a reference beat at {refInterval} µs and rhythm at {interval} µs per sample is not supported (the intervals must be equal).", "section 5 sample interval");
                }

                AddReferenceBeat(rhythm, reference, refAvm / avm, section4.Value.fcM, section4.Value.qrs);
            }

            var named = new List<(string, float[])>(leads.Count);
            double mvPerUnit = avm * 1e-6;
            for (int i = 0; i < leads.Count; i++)
            {
                named.Add((ScpLeadCodes.Name(leads[i].Id), ToMillivolts(rhythm[i], mvPerUnit)));
            }

            EcgRecord rhythmRecord = EcgFormatHelpers.BuildRecord(EcgFormatHelpers.StandardOrder(named), 1e6 / interval, metadata, source, "rhythm (section 6)");
            EcgRecord? beats = null;
            if (reference is not null)
            {
                var beatLeads = new List<(string, float[])>(leads.Count);
                for (int i = 0; i < leads.Count; i++)
                {
                    beatLeads.Add((ScpLeadCodes.Name(leads[i].Id), ToMillivolts(reference[i], refAvm * 1e-6)));
                }

                beats = EcgFormatHelpers.BuildRecord(EcgFormatHelpers.StandardOrder(beatLeads), 1e6 / refInterval, metadata, source, "reference beat (section 5)");
            }

            return new EcgDocument(rhythmRecord, beats, EcgFileFormat.ScpEcg);
        }

        private EcgFormatException Error(string message, string field) => new(message, source, field);

        private static float[] ToMillivolts(double[] values, double scale)
        {
            var mv = new float[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                mv[i] = (float)(values[i] * scale);
            }

            return mv;
        }

        private int U16(int offset) => BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset));

        private uint U32(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset));

        private void ReadSectionTable()
        {
            if (bytes.Length < 6 + HeaderBytes)
            {
                throw Error($"the file is {bytes.Length} bytes; an SCP-ECG file holds at least {6 + HeaderBytes} (CRC, length and the section 0 header).", "file length");
            }

            uint declared = U32(2);
            if (declared > bytes.Length || declared < 6 + HeaderBytes)
            {
                throw Error($"the file-length field says {declared} bytes but the file has {bytes.Length}{(declared > bytes.Length ? " (truncated file?)" : "")}.", "file length");
            }

            _length = (int)declared;
            ushort stored = (ushort)U16(0);
            ushort actual = Crc16Ccitt.Compute(bytes.AsSpan(2, _length - 2));
            if (stored != actual)
            {
                throw Error($"the file CRC-CCITT is 0x{actual:X4} but the file says 0x{stored:X4}; the file is corrupt.", "file CRC");
            }

            Section s0 = ReadSectionHeader(6, 0, null);
            int count = (s0.Length - HeaderBytes) / 10;
            for (int i = 0; i < count; i++)
            {
                int p = s0.Offset + HeaderBytes + (10 * i);
                int id = U16(p);
                uint length = U32(p + 2);
                uint index = U32(p + 6);
                if (length == 0 || id == 0)
                {
                    continue;
                }

                if (index < 1 || length < HeaderBytes || index - 1 + (long)length > _length)
                {
                    throw Error($"the section 0 pointer to section {id} (index {index}, length {length}) must lie inside the file of {_length} bytes, with a length of at least {HeaderBytes}.", $"section {id} pointer");
                }

                if (!_sections.TryAdd(id, ReadSectionHeader((int)index - 1, id, (int)length)))
                {
                    throw Error($"section 0 points at section {id} twice.", $"section {id} pointer");
                }
            }
        }

        private Section ReadSectionHeader(int offset, int expectedId, int? expectedLength)
        {
            if (offset + HeaderBytes > _length)
            {
                throw Error($"the header of section {expectedId} at byte {offset} runs past the end of the file ({_length} bytes).", $"section {expectedId} header");
            }

            int id = U16(offset + 2);
            uint length = U32(offset + 4);
            if (id != expectedId)
            {
                throw Error($"the section at byte {offset} has id {id} but section 0 says it is section {expectedId}.", $"section {expectedId} header");
            }

            if (length < HeaderBytes || offset + (long)length > _length || (expectedLength is { } e && e != length))
            {
                throw Error($"section {id} declares {length} bytes{(expectedLength is { } l ? $" while section 0 says {l}" : "")}; it must be at least {HeaderBytes} and end inside the file ({_length - offset} bytes left).", $"section {id} length");
            }

            ushort stored = (ushort)U16(offset);
            ushort actual = Crc16Ccitt.Compute(bytes.AsSpan(offset + 2, (int)length - 2));
            if (stored != actual)
            {
                throw Error($"the CRC-CCITT of section {id} is 0x{actual:X4} but the section says 0x{stored:X4}; the section is corrupt.", $"section {id} CRC");
            }

            return new Section(id, offset, (int)length, bytes[offset + 9]);
        }

        private ReadOnlySpan<byte> Data(Section s) => bytes.AsSpan(s.Offset + HeaderBytes, s.Length - HeaderBytes);

        private void Need(ReadOnlySpan<byte> data, long needed, int section, string what)
        {
            if (needed > data.Length)
            {
                throw Error($"section {section} needs {needed} bytes for {what} but holds {data.Length}.", $"section {section} length");
            }
        }

        private List<LeadDefinition> ReadLeadDefinitions(out bool referenceSubtracted)
        {
            if (!_sections.TryGetValue(3, out Section s3))
            {
                throw Error("the file has no lead definitions (section 3).", "section 3");
            }

            ReadOnlySpan<byte> d = Data(s3);
            Need(d, 2, 3, "the lead count and flags");
            int count = d[0];
            referenceSubtracted = (d[1] & 1) != 0;
            Need(d, 2 + (9L * count), 3, $"{count} lead definitions");
            if (count == 0)
            {
                throw Error("section 3 defines no lead.", "section 3 lead count");
            }

            var leads = new List<LeadDefinition>(count);
            for (int i = 0; i < count; i++)
            {
                ReadOnlySpan<byte> l = d.Slice(2 + (9 * i), 9);
                uint start = BinaryPrimitives.ReadUInt32LittleEndian(l);
                uint end = BinaryPrimitives.ReadUInt32LittleEndian(l[4..]);
                if (start < 1 || end < start || end > int.MaxValue)
                {
                    throw Error($"lead {i} (id {l[8]}) must have 1 ≤ start ≤ end (got start {start}, end {end}).", "section 3 sample range");
                }

                leads.Add(new LeadDefinition((int)start, (int)end, l[8]));
            }

            if (leads.Any(l => l.Start != leads[0].Start || l.End != leads[0].End))
            {
                throw Error($"leads recorded over different sample ranges are not supported (lead 0 spans {leads[0].Start}–{leads[0].End}, another lead differs).", "section 3 sample range");
            }

            return leads;
        }

        private HuffmanTable[]? ReadHuffmanTables()
        {
            if (!_sections.TryGetValue(2, out Section s2))
            {
                return null;
            }

            ReadOnlySpan<byte> d = Data(s2);
            Need(d, 2, 2, "the table count");
            int count = BinaryPrimitives.ReadUInt16LittleEndian(d);
            if (count == DefaultHuffmanTable)
            {
                return [s_default];
            }

            if (count == 0)
            {
                throw Error("section 2 declares 0 Huffman tables (19999 means the default table).", "section 2 table count");
            }

            var tables = new HuffmanTable[count];
            int p = 2;
            for (int t = 0; t < count; t++)
            {
                Need(d, p + 2L, 2, $"the code count of table {t + 1}");
                int codes = BinaryPrimitives.ReadUInt16LittleEndian(d[p..]);
                p += 2;
                Need(d, p + (9L * codes), 2, $"{codes} codes of table {t + 1}");
                var list = new List<HuffmanCode>(codes);
                for (int c = 0; c < codes; c++, p += 9)
                {
                    int prefix = d[p], total = d[p + 1];
                    if (prefix is < 1 or > 32 || total < prefix || total - prefix > 32)
                    {
                        throw Error($"code {c} of Huffman table {t + 1} has {prefix} prefix bits and {total} bits in all; the prefix must be 1–32 bits and the value at most 32 more.", "section 2 code length");
                    }

                    // The base code is stored least significant bit first: reverse its prefix bits.
                    uint stored = BinaryPrimitives.ReadUInt32LittleEndian(d[(p + 5)..]);
                    uint code = 0;
                    for (int b = 0; b < prefix; b++)
                    {
                        code = (code << 1) | ((stored >> b) & 1);
                    }

                    list.Add(new HuffmanCode(prefix, total, d[p + 2] != 0, BinaryPrimitives.ReadInt16LittleEndian(d[(p + 3)..]), code));
                }

                tables[t] = new HuffmanTable(list);
            }

            return tables;
        }

        private (int, int, List<Qrs>)? ReadQrsLocations()
        {
            if (!_sections.TryGetValue(4, out Section s4))
            {
                return null;
            }

            ReadOnlySpan<byte> d = Data(s4);
            Need(d, 6, 4, "the reference-beat length, fiducial and QRS count");
            int length = BinaryPrimitives.ReadUInt16LittleEndian(d);
            int fcM = BinaryPrimitives.ReadUInt16LittleEndian(d[2..]);
            int n = BinaryPrimitives.ReadUInt16LittleEndian(d[4..]);
            Need(d, 6 + (14L * n), 4, $"{n} QRS locations");
            var qrs = new List<Qrs>(n);
            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<byte> q = d.Slice(6 + (14 * i), 14);
                qrs.Add(new Qrs(BinaryPrimitives.ReadUInt16LittleEndian(q), (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(q[2..]), int.MaxValue),
                    (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(q[6..]), int.MaxValue), (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(q[10..]), int.MaxValue)));
            }

            return (length, fcM, qrs);
        }

        private (double[][], double Avm, int Interval) ReadReferenceBeat(int leadCount, int lengthMs, HuffmanTable[]? tables)
        {
            Section s5 = _sections[5];
            ReadOnlySpan<byte> d = Data(s5);
            Need(d, 6 + (2L * leadCount), 5, "the AVM, sample interval, encoding and lead lengths");
            int avm = BinaryPrimitives.ReadUInt16LittleEndian(d);
            int interval = BinaryPrimitives.ReadUInt16LittleEndian(d[2..]);
            int difference = d[4];
            CheckScaling(avm, interval, difference, 5);
            long samples = lengthMs * 1000L / interval;
            if (samples < 1)
            {
                throw Error($"the reference beat is {lengthMs} ms long at {interval} µs per sample, which is no sample.", "section 4 reference-beat length");
            }

            return (DecodeLeads(d, 6, leadCount, (int)samples, difference, tables, 5), avm, interval);
        }

        private (double[][], double Avm, int Interval) ReadRhythm(Section s6, List<LeadDefinition> leads, HuffmanTable[]? tables)
        {
            ReadOnlySpan<byte> d = Data(s6);
            Need(d, 6 + (2L * leads.Count), 6, "the AVM, sample interval, encodings and lead lengths");
            int avm = BinaryPrimitives.ReadUInt16LittleEndian(d);
            int interval = BinaryPrimitives.ReadUInt16LittleEndian(d[2..]);
            int difference = d[4];
            if (d[5] != 0)
            {
                throw Error($"bimodal compression (section 6 byte 6 = {d[5]}) is not supported: only files whose rhythm is stored at one sampling rate can be read.", "section 6 bimodal compression");
            }

            CheckScaling(avm, interval, difference, 6);
            return (DecodeLeads(d, 6, leads.Count, leads[0].End - leads[0].Start + 1, difference, tables, 6), avm, interval);
        }

        private void CheckScaling(int avm, int interval, int difference, int section)
        {
            if (avm == 0 || interval == 0)
            {
                throw Error($"section {section} must have a positive amplitude value multiplier (nV) and sample interval (µs) (got {avm} nV, {interval} µs).", $"section {section} AVM");
            }

            if (difference > 2)
            {
                throw Error($"the difference encoding of section {section} must be 0 (none), 1 (first) or 2 (second differences) (got {difference}).", $"section {section} encoding");
            }
        }

        private double[][] DecodeLeads(ReadOnlySpan<byte> d, int headerBytes, int leadCount, int samples, int difference, HuffmanTable[]? tables, int section)
        {
            int p = headerBytes + (2 * leadCount);
            var result = new double[leadCount][];
            for (int i = 0; i < leadCount; i++)
            {
                int length = BinaryPrimitives.ReadUInt16LittleEndian(d[(headerBytes + (2 * i))..]);
                Need(d, (long)p + length, section, $"the {length} data bytes of lead {i}");
                ReadOnlySpan<byte> data = d.Slice(p, length);
                p += length;
                long capacity = tables is null ? length / 2 : 8L * length;
                if (samples > capacity)
                {
                    throw Error($"lead {i} of section {section} must hold {samples} samples but its {length} bytes can hold at most {capacity}.", $"section {section} lead length");
                }

                var values = new int[samples];
                if (tables is null)
                {
                    for (int k = 0; k < samples; k++)
                    {
                        values[k] = BinaryPrimitives.ReadInt16LittleEndian(data[(2 * k)..]);
                    }
                }
                else
                {
                    Huffman(data, tables, values, i, section);
                }

                result[i] = Undifference(values, difference);
            }

            return result;
        }

        private void Huffman(ReadOnlySpan<byte> data, HuffmanTable[] tables, int[] destination, int lead, int section)
        {
            long bit = 0, bits = 8L * data.Length;
            HuffmanTable table = tables[0];
            int n = 0;
            while (n < destination.Length)
            {
                uint code = 0;
                int length = 0;
                HuffmanCode entry;
                if (table.Lookup is { } lookup)
                {
                    // Peek MaxPrefix bits (zeros past the end), then check that the matched code lies inside the data.
                    int peek = 0;
                    for (int b = 0; b < table.MaxPrefix; b++)
                    {
                        long at = bit + b;
                        peek = (peek << 1) | (at < bits ? (data[(int)(at >> 3)] >> (7 - (int)(at & 7))) & 1 : 0);
                    }

                    int index = lookup[peek];
                    if (index == 0)
                    {
                        if (bit >= bits)
                        {
                            throw Error($"the Huffman data of lead {lead} in section {section} ends after {n} of {destination.Length} samples.", $"section {section} lead data");
                        }

                        throw Error($"no Huffman code matches the bits 0b{Convert.ToString(peek, 2).PadLeft(table.MaxPrefix, '0')} of lead {lead} in section {section} (sample {n}).", $"section {section} lead data");
                    }

                    entry = table.Entries[index - 1];
                    if (bit + entry.PrefixBits > bits)
                    {
                        throw Error($"the Huffman data of lead {lead} in section {section} ends after {n} of {destination.Length} samples.", $"section {section} lead data");
                    }

                    bit += entry.PrefixBits;
                }
                else
                {
                    while (true)
                    {
                        if (bit >= bits)
                        {
                            throw Error($"the Huffman data of lead {lead} in section {section} ends after {n} of {destination.Length} samples.", $"section {section} lead data");
                        }

                        code = (code << 1) | (uint)((data[(int)(bit >> 3)] >> (7 - (int)(bit & 7))) & 1);
                        bit++;
                        length++;
                        if (table.TryMatch(length, code, out entry))
                        {
                            break;
                        }

                        if (length >= table.MaxPrefix)
                        {
                            throw Error($"no Huffman code matches the {length} bits 0b{Convert.ToString(code, 2)} of lead {lead} in section {section} (sample {n}).", $"section {section} lead data");
                        }
                    }
                }

                if (!entry.IsValue)
                {
                    if (entry.BaseValue < 1 || entry.BaseValue > tables.Length)
                    {
                        throw Error($"a Huffman code switches to table {entry.BaseValue} but section 2 defines {tables.Length}.", "section 2 table switch");
                    }

                    table = tables[entry.BaseValue - 1];
                    continue;
                }

                int extra = entry.TotalBits - entry.PrefixBits;
                if (extra == 0)
                {
                    destination[n++] = entry.BaseValue;
                    continue;
                }

                if (bit + extra > bits)
                {
                    throw Error($"the Huffman data of lead {lead} in section {section} ends inside sample {n}.", $"section {section} lead data");
                }

                long value = 0;
                for (int b = 0; b < extra; b++, bit++)
                {
                    value = (value << 1) | (uint)((data[(int)(bit >> 3)] >> (7 - (int)(bit & 7))) & 1);
                }

                // Two's complement of 'extra' bits.
                if ((value & (1L << (extra - 1))) != 0)
                {
                    value -= 1L << extra;
                }

                destination[n++] = (int)Math.Clamp(value, int.MinValue, int.MaxValue);
            }
        }

        private static double[] Undifference(int[] d, int difference)
        {
            var x = new double[d.Length];
            for (int k = 0; k < d.Length; k++)
            {
                x[k] = difference switch
                {
                    1 when k >= 1 => d[k] + x[k - 1],
                    2 when k >= 2 => d[k] + (2 * x[k - 1]) - x[k - 2],
                    _ => d[k],
                };
            }

            return x;
        }

        private void AddReferenceBeat(double[][] rhythm, double[][] reference, double scale, int fcM, List<Qrs> qrs)
        {
            int n = rhythm[0].Length;
            foreach (Qrs q in qrs)
            {
                if (q.Type != 0)
                {
                    continue;
                }

                if (q.Start < 1 || q.End < q.Start || q.End > n || q.Fiducial < q.Start || q.Fiducial > q.End)
                {
                    throw Error($"a QRS subtraction zone of section 4 must lie inside the {n} rhythm samples with its fiducial inside it (got start {q.Start}, fiducial {q.Fiducial}, end {q.End}).", "section 4 QRS location");
                }

                for (int lead = 0; lead < rhythm.Length; lead++)
                {
                    double[] r = reference[lead];
                    for (int j = q.Start; j <= q.End; j++)
                    {
                        long k = (long)fcM + j - q.Fiducial - 1;
                        if (k >= 0 && k < r.Length)
                        {
                            rhythm[lead][j - 1] += r[k] * scale;
                        }
                    }
                }
            }
        }

        private EcgMetadata ReadMetadata()
        {
            var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Format"] = "SCP-ECG" };
            string? patientId = null;
            double? age = null;
            Sex sex = Sex.Unknown;
            DateTime? birth = null, date = null;
            TimeSpan time = TimeSpan.Zero;
            if (_sections.TryGetValue(1, out Section s1))
            {
                properties["SCP.ProtocolVersion"] = (s1.Protocol / 10.0).ToString("0.0", CultureInfo.InvariantCulture);
                ReadOnlySpan<byte> d = Data(s1);
                int p = 0;
                while (p + 3 <= d.Length)
                {
                    int tag = d[p];
                    int length = BinaryPrimitives.ReadUInt16LittleEndian(d[(p + 1)..]);
                    if (tag == 255)
                    {
                        break;
                    }

                    Need(d, p + 3L + length, 1, $"tag {tag} ({length} bytes)");
                    ReadOnlySpan<byte> v = d.Slice(p + 3, length);
                    p += 3 + length;
                    switch (tag)
                    {
                        case 2:
                            patientId = Text(v) is { Length: > 0 } id ? id : null;
                            break;
                        case 4 when length >= 3:
                            int a = BinaryPrimitives.ReadUInt16LittleEndian(v);
                            age = v[2] switch { 2 => a / 12.0, 3 => a / 52.1775, 4 => a / 365.25, 5 => a / 8766.0, _ => a };
                            break;
                        case 5 when length >= 4:
                            birth = Date(v);
                            break;
                        case 8 when length >= 1:
                            sex = v[0] switch { 1 => Sex.Male, 2 => Sex.Female, _ => Sex.Unknown };
                            break;
                        case 14 when length >= 14:
                            if (Text(v.Slice(8, 6)) is { Length: > 0 } model)
                            {
                                properties["Device"] = model;
                            }

                            break;
                        case 25 when length >= 4:
                            date = Date(v);
                            break;
                        case 26 when length >= 3 && v[0] < 24 && v[1] < 60 && v[2] < 60:
                            time = new TimeSpan(v[0], v[1], v[2]);
                            break;
                    }
                }
            }

            DateTimeOffset? acquired = date is { } dt ? new DateTimeOffset(dt + time, TimeSpan.Zero) : null;
            if (age is null && birth is { } b && date is { } when && when >= b)
            {
                age = when.Year - b.Year - (when.DayOfYear < b.DayOfYear ? 1 : 0);
            }

            ReadMeasurements(properties);
            return new EcgMetadata
            {
                PatientId = patientId,
                Age = age,
                Sex = sex,
                AcquisitionTime = acquired,
                Report = ReadStatements(),
                Source = source,
                Properties = properties.AsReadOnly(),
            };
        }

        private static DateTime? Date(ReadOnlySpan<byte> v)
        {
            int year = BinaryPrimitives.ReadUInt16LittleEndian(v);
            return year is >= 1 and <= 9999 && v[2] is >= 1 and <= 12 && v[3] >= 1 && v[3] <= DateTime.DaysInMonth(year, v[2])
                ? new DateTime(year, v[2], v[3], 0, 0, 0, DateTimeKind.Utc)
                : null;
        }

        private static string Text(ReadOnlySpan<byte> v)
        {
            int end = v.IndexOf((byte)0);
            return System.Text.Encoding.Latin1.GetString(end < 0 ? v : v[..end]).Trim();
        }

        private void ReadMeasurements(Dictionary<string, string> properties)
        {
            if (!_sections.TryGetValue(7, out Section s7))
            {
                return;
            }

            ReadOnlySpan<byte> d = Data(s7);

            // v2.0+ adds the average RR and PP intervals after the block and spike counts.
            int header = s7.Protocol >= 20 ? 6 : 2;
            if (d.Length < header + 16 || d[0] == 0)
            {
                return;
            }

            if (header == 6)
            {
                Put(properties, "SCP.RRInterval", BinaryPrimitives.ReadUInt16LittleEndian(d[2..]));
                Put(properties, "SCP.PPInterval", BinaryPrimitives.ReadUInt16LittleEndian(d[4..]));
            }

            ReadOnlySpan<byte> m = d.Slice(header, 16);
            string[] names = ["POnset", "POffset", "QRSOnset", "QRSOffset", "TOffset", "PAxis", "QRSAxis", "TAxis"];
            for (int i = 0; i < names.Length; i++)
            {
                int v = i < 5 ? BinaryPrimitives.ReadUInt16LittleEndian(m[(2 * i)..]) : BinaryPrimitives.ReadInt16LittleEndian(m[(2 * i)..]);
                Put(properties, "SCP." + names[i], v);
            }
        }

        private static void Put(Dictionary<string, string> properties, string key, int value)
        {
            if (value != Undefined)
            {
                properties[key] = value.ToString(CultureInfo.InvariantCulture);
            }
        }

        private string? ReadStatements()
        {
            if (!_sections.TryGetValue(8, out Section s8))
            {
                return null;
            }

            ReadOnlySpan<byte> d = Data(s8);
            if (d.Length < 9)
            {
                return null;
            }

            int count = d[8];
            int p = 9;
            var lines = new List<string>(count);
            for (int i = 0; i < count && p + 3 <= d.Length; i++)
            {
                int length = BinaryPrimitives.ReadUInt16LittleEndian(d[(p + 1)..]);
                Need(d, p + 3L + length, 8, $"statement {i} ({length} bytes)");
                if (Text(d.Slice(p + 3, length)) is { Length: > 0 } line)
                {
                    lines.Add(line);
                }

                p += 3 + length;
            }

            return lines.Count > 0 ? string.Join('\n', lines) : null;
        }
    }
}
