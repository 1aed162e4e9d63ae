using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using EcgVision.Signals;

namespace EcgVision.Internal;

/// <summary>One DICOM data element: its tag, VR (from the file, or from the small dictionary for implicit VR), value bytes and, for sequences, items.</summary>
internal sealed record DicomElement(uint Tag, string Vr, ReadOnlyMemory<byte> Value, IReadOnlyList<DicomDataset>? Items);

/// <summary>A DICOM data set: elements by tag.</summary>
internal sealed class DicomDataset
{
    private readonly Dictionary<uint, DicomElement> _elements = [];

    public void Add(DicomElement e) => _elements.TryAdd(e.Tag, e);

    public DicomElement? Get(uint tag) => _elements.GetValueOrDefault(tag);

    public IReadOnlyList<DicomDataset> Items(uint tag) => Get(tag)?.Items ?? [];

    /// <summary>A text value (first of a multi-valued one when <paramref name="first"/>), trimmed of spaces and NULs; Latin-1.</summary>
    public string? String(uint tag, bool first = true)
    {
        if (Get(tag) is not { } e || e.Items is not null)
        {
            return null;
        }

        string s = System.Text.Encoding.Latin1.GetString(e.Value.Span).Trim(' ', '\0');
        if (first && s.IndexOf('\\') is int i and >= 0)
        {
            s = s[..i].Trim();
        }

        return s.Length > 0 ? s : null;
    }

    /// <summary>A DS/IS value as a double, or null when absent or not a finite number.</summary>
    public double? Number(uint tag) => EcgFormatHelpers.TryParseDouble(String(tag), out double v) ? v : null;

    /// <summary>A US (2 bytes) or UL (4 bytes) value by its length, or null.</summary>
    public long? Unsigned(uint tag) => Get(tag) switch
    {
        { Items: null, Value.Length: 2 } e => BinaryPrimitives.ReadUInt16LittleEndian(e.Value.Span),
        { Items: null, Value.Length: 4 } e => BinaryPrimitives.ReadUInt32LittleEndian(e.Value.Span),
        _ => null,
    };
}

/// <summary>
/// Parses DICOM Part 10 files (128-byte preamble, <c>DICM</c>, explicit-VR file meta group) in explicit or implicit VR
/// little endian, with sequences and items of defined or undefined length. Every length is checked against the bytes
/// left in its container before it is used; nesting depth and element count are bounded.
/// </summary>
internal sealed class DicomParser
{
    public const string ImplicitVrLittleEndian = "1.2.840.10008.1.2";
    public const string ExplicitVrLittleEndian = "1.2.840.10008.1.2.1";
    public const int MaxDepth = 8;
    public const int MaxElements = 1_000_000;

    private const uint Item = 0xFFFEE000, ItemDelimitation = 0xFFFEE00D, SequenceDelimitation = 0xFFFEE0DD;
    private const uint Undefined = 0xFFFFFFFF;

    /// <summary>Sequence tags read from implicit-VR files (the only VR an implicit file needs the dictionary for).</summary>
    private static readonly HashSet<uint> s_sequences =
    [
        0x54000100, // Waveform Sequence
        0x003A0200, // Channel Definition Sequence
        0x003A0208, // Channel Source Sequence
        0x003A0209, // Channel Source Modifiers Sequence
        0x003A0211, // Channel Sensitivity Units Sequence
        0x003A0300, // Multiplexed Audio Channels Description Code Sequence
        0x00400260, // Performed Protocol Code Sequence
        0x0040B020, // Waveform Annotation Sequence
        0x0040A043, // Concept Name Code Sequence
        0x00081032, // Procedure Code Sequence
        0x00081111, // Referenced Performed Procedure Step Sequence
        0x00081140, // Referenced Image Sequence
        0x00081199, // Referenced SOP Sequence
        0x0040A195, // Modifier Code Sequence
        0x0040A168, // Concept Code Sequence
        0x004008EA, // Measurement Units Code Sequence
    ];

    private static readonly HashSet<string> s_longVrs = ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"];

    private readonly byte[] _bytes;
    private readonly string _source;
    private bool _explicit;
    private int _elements;

    private DicomParser(byte[] bytes, string source)
    {
        _bytes = bytes;
        _source = source;
    }

    /// <summary>Parses a Part 10 file; returns the file meta group and the data set.</summary>
    public static (DicomDataset Meta, DicomDataset Data, string TransferSyntax) Parse(byte[] bytes, string source)
    {
        var parser = new DicomParser(bytes, source);
        if (bytes.Length < 132 || !bytes.AsSpan(128, 4).SequenceEqual("DICM"u8))
        {
            throw new EcgFormatException($"a DICOM file must have a 128-byte preamble followed by 'DICM' (got {bytes.Length} bytes{(bytes.Length >= 132 ? $" and '{System.Text.Encoding.Latin1.GetString(bytes, 128, 4)}'" : "")}).", source, "DICM prefix");
        }

        parser._explicit = true;
        var meta = new DicomDataset();
        int pos = 132;
        while (pos + 4 <= bytes.Length && BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(pos)) == 0x0002)
        {
            meta.Add(parser.ReadElement(ref pos, bytes.Length, 0));
        }

        string syntax = meta.String(0x00020010)
            ?? throw new EcgFormatException("the file meta group has no Transfer Syntax UID (0002,0010).", source, "(0002,0010) Transfer Syntax UID");
        parser._explicit = syntax switch
        {
            ExplicitVrLittleEndian => true,
            ImplicitVrLittleEndian => false,
            "1.2.840.10008.1.2.2" => throw new EcgFormatException("explicit VR big endian (1.2.840.10008.1.2.2, retired) is not supported; readable transfer syntaxes are explicit and implicit VR little endian.", source, "(0002,0010) Transfer Syntax UID"),
            _ => throw new EcgFormatException($"transfer syntax {syntax} is not supported; readable ones are explicit VR little endian ({ExplicitVrLittleEndian}) and implicit VR little endian ({ImplicitVrLittleEndian}).", source, "(0002,0010) Transfer Syntax UID"),
        };

        DicomDataset data = parser.ReadDataset(ref pos, bytes.Length, 0, untilItemDelimiter: false);
        return (meta, data, syntax);
    }

    private static string TagText(uint tag) => $"({tag >> 16:X4},{tag & 0xFFFF:X4})";

    private EcgFormatException Error(string message, uint tag) => new(message, _source, TagText(tag));

    private DicomDataset ReadDataset(ref int pos, int end, int depth, bool untilItemDelimiter)
    {
        var set = new DicomDataset();
        while (pos < end)
        {
            if (untilItemDelimiter && pos + 8 <= end && Tag(pos) == ItemDelimitation)
            {
                pos += 8;
                return set;
            }

            set.Add(ReadElement(ref pos, end, depth));
        }

        if (untilItemDelimiter)
        {
            throw new EcgFormatException($"an item of undefined length has no item delimitation (FFFE,E00D) before byte {end}.", _source, "item delimitation");
        }

        return set;
    }

    private uint Tag(int pos) => ((uint)BinaryPrimitives.ReadUInt16LittleEndian(_bytes.AsSpan(pos)) << 16) | BinaryPrimitives.ReadUInt16LittleEndian(_bytes.AsSpan(pos + 2));

    private DicomElement ReadElement(ref int pos, int end, int depth)
    {
        if (++_elements > MaxElements)
        {
            throw new EcgFormatException($"the file holds more than {MaxElements} data elements.", _source, "element count");
        }

        if (pos + 8 > end)
        {
            throw new EcgFormatException($"a data element header at byte {pos} runs past the end of its container (byte {end}).", _source, "element header");
        }

        uint tag = Tag(pos);
        string vr;
        uint length;
        if (_explicit && (tag >> 16) != 0xFFFE)
        {
            vr = System.Text.Encoding.ASCII.GetString(_bytes, pos + 4, 2);
            if (s_longVrs.Contains(vr))
            {
                if (pos + 12 > end)
                {
                    throw Error($"the header of element {TagText(tag)} at byte {pos} runs past the end of its container (byte {end}).", tag);
                }

                length = BinaryPrimitives.ReadUInt32LittleEndian(_bytes.AsSpan(pos + 8));
                pos += 12;
            }
            else
            {
                length = BinaryPrimitives.ReadUInt16LittleEndian(_bytes.AsSpan(pos + 6));
                pos += 8;
            }
        }
        else
        {
            vr = s_sequences.Contains(tag) ? "SQ" : "UN";
            length = BinaryPrimitives.ReadUInt32LittleEndian(_bytes.AsSpan(pos + 4));
            pos += 8;
        }

        if (tag is Item or ItemDelimitation or SequenceDelimitation)
        {
            throw Error($"an item or delimitation tag {TagText(tag)} appears where a data element is expected (byte {pos - 8}).", tag);
        }

        if (length == Undefined || vr == "SQ")
        {
            if (depth >= MaxDepth)
            {
                throw Error($"sequences are nested more than {MaxDepth} deep at element {TagText(tag)}.", tag);
            }

            int sequenceEnd = end;
            if (length != Undefined)
            {
                CheckLength(tag, length, pos, end);
                sequenceEnd = pos + (int)length;
            }

            List<DicomDataset> items = ReadItems(ref pos, sequenceEnd, length == Undefined, depth + 1, tag, parseItems: vr is "SQ" or "UN");
            return new DicomElement(tag, "SQ", ReadOnlyMemory<byte>.Empty, items);
        }

        CheckLength(tag, length, pos, end);
        var value = new ReadOnlyMemory<byte>(_bytes, pos, (int)length);
        pos += (int)length;
        return new DicomElement(tag, vr, value, null);
    }

    private void CheckLength(uint tag, uint length, int pos, int end)
    {
        if (length > (uint)(end - pos))
        {
            throw Error($"element {TagText(tag)} declares {length} bytes but only {end - pos} remain in its container.", tag);
        }
    }

    private List<DicomDataset> ReadItems(ref int pos, int end, bool undefinedLength, int depth, uint sequenceTag, bool parseItems)
    {
        var items = new List<DicomDataset>();
        while (pos < end || undefinedLength)
        {
            if (pos + 8 > end)
            {
                throw Error($"sequence {TagText(sequenceTag)} ends at byte {end} without {(undefinedLength ? "a sequence delimitation (FFFE,E0DD)" : "a complete item header")}.", sequenceTag);
            }

            uint tag = Tag(pos);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(_bytes.AsSpan(pos + 4));
            pos += 8;
            if (tag == SequenceDelimitation)
            {
                if (undefinedLength)
                {
                    return items;
                }

                continue;
            }

            if (tag != Item)
            {
                throw Error($"sequence {TagText(sequenceTag)} must hold items (FFFE,E000) but holds {TagText(tag)} at byte {pos - 8}.", sequenceTag);
            }

            if (++_elements > MaxElements)
            {
                throw new EcgFormatException($"the file holds more than {MaxElements} data elements.", _source, "element count");
            }

            if (length == Undefined)
            {
                items.Add(ReadDataset(ref pos, end, depth, untilItemDelimiter: true));
                continue;
            }

            CheckLength(sequenceTag, length, pos, end);
            int itemEnd = pos + (int)length;
            if (parseItems)
            {
                items.Add(ReadDataset(ref pos, itemEnd, depth, untilItemDelimiter: false));
            }

            pos = itemEnd;
        }

        return items;
    }

    /// <summary>Parses a DICOM DA (yyyyMMdd), optionally with a TM (HHmmss.ffffff) or a DT; no zone → UTC.</summary>
    public static DateTimeOffset? DateTime(string? date, string? time)
    {
        if (date is null || date.Length < 8)
        {
            return null;
        }

        string text = date[..8] + (time ?? "").Split('.')[0].PadRight(6, '0')[..6];
        return System.DateTime.TryParseExact(text, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTime dt)
            ? new DateTimeOffset(dt, TimeSpan.Zero)
            : null;
    }
}
