using System.Buffers.Binary;
using System.Text;

namespace EcgVision.Tests.Signals.Formats;

/// <summary>Builds small DICOM Part 10 files (explicit or implicit VR little endian) for tests.</summary>
internal sealed class DicomTestFile(bool implicitVr = false)
{
    private readonly List<byte> _body = [];

    public static byte[] Element(uint tag, string vr, byte[] value, bool implicitVr = false)
    {
        var b = new List<byte>();
        Tag(b, tag);
        if (implicitVr)
        {
            U32(b, (uint)value.Length);
        }
        else
        {
            b.AddRange(System.Text.Encoding.ASCII.GetBytes(vr));
            if (vr is "OB" or "OW" or "SQ" or "UN" or "UT")
            {
                b.Add(0);
                b.Add(0);
                U32(b, (uint)value.Length);
            }
            else
            {
                b.Add((byte)value.Length);
                b.Add((byte)(value.Length >> 8));
            }
        }

        b.AddRange(value);
        return [.. b];
    }

    public static byte[] Text(string s) => System.Text.Encoding.ASCII.GetBytes(s.Length % 2 == 0 ? s : s + " ");

    public static byte[] UInt16(int v) => [(byte)v, (byte)(v >> 8)];

    public static byte[] UInt32(uint v) => [(byte)v, (byte)(v >> 8), (byte)(v >> 16), (byte)(v >> 24)];

    /// <summary>A sequence of items; undefined lengths use item and sequence delimiters.</summary>
    public static byte[] Sequence(uint tag, IEnumerable<byte[]> items, bool undefinedLength, bool implicitVr = false)
    {
        var content = new List<byte>();
        foreach (byte[] item in items)
        {
            Tag(content, 0xFFFEE000);
            U32(content, undefinedLength ? 0xFFFFFFFF : (uint)item.Length);
            content.AddRange(item);
            if (undefinedLength)
            {
                Tag(content, 0xFFFEE00D);
                U32(content, 0);
            }
        }

        if (!undefinedLength)
        {
            return Element(tag, "SQ", [.. content], implicitVr);
        }

        Tag(content, 0xFFFEE0DD);
        U32(content, 0);
        var b = new List<byte>();
        Tag(b, tag);
        if (!implicitVr)
        {
            b.AddRange("SQ\0\0"u8.ToArray());
        }

        U32(b, 0xFFFFFFFF);
        b.AddRange(content);
        return [.. b];
    }

    public DicomTestFile Add(byte[] element)
    {
        _body.AddRange(element);
        return this;
    }

    public DicomTestFile Add(uint tag, string vr, byte[] value) => Add(Element(tag, vr, value, implicitVr));

    public byte[] ToArray(string? transferSyntax = null)
    {
        var b = new List<byte>(new byte[128]);
        b.AddRange("DICM"u8.ToArray());
        string uid = transferSyntax ?? (implicitVr ? "1.2.840.10008.1.2" : "1.2.840.10008.1.2.1");
        byte[] ts = System.Text.Encoding.ASCII.GetBytes(uid.Length % 2 == 0 ? uid : uid + "\0");
        b.AddRange(Element(0x00020010, "UI", ts));
        b.AddRange(_body);
        return [.. b];
    }

    /// <summary>One multiplex group (16-bit SS) with SCPECG lead codes, µV sensitivity and the given samples (sample-major).</summary>
    public static byte[] Group(string originality, string label, double rate, int[] leadIds, short[,] samples, double sensitivity, bool implicitVr = false, bool undefinedLength = false)
    {
        int n = samples.GetLength(0), c = samples.GetLength(1);
        var channels = new List<byte[]>();
        for (int ch = 0; ch < c; ch++)
        {
            byte[] code = [.. Element(0x00080100, "SH", Text($"5.6.3-9-{leadIds[ch]}"), implicitVr), .. Element(0x00080102, "SH", Text("SCPECG"), implicitVr)];
            byte[] unit = [.. Element(0x00080100, "SH", Text("uV"), implicitVr)];
            channels.Add([
                .. Sequence(0x003A0208, [code], undefinedLength, implicitVr),
                .. Element(0x003A0210, "DS", Text(sensitivity.ToString(System.Globalization.CultureInfo.InvariantCulture)), implicitVr),
                .. Sequence(0x003A0211, [unit], undefinedLength, implicitVr),
            ]);
        }

        var data = new byte[n * c * 2];
        for (int k = 0; k < n; k++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(((k * c) + ch) * 2), samples[k, ch]);
            }
        }

        return [
            .. Element(0x003A0004, "CS", Text(originality), implicitVr),
            .. Element(0x003A0005, "US", UInt16(c), implicitVr),
            .. Element(0x003A0010, "UL", UInt32((uint)n), implicitVr),
            .. Element(0x003A001A, "DS", Text(rate.ToString(System.Globalization.CultureInfo.InvariantCulture)), implicitVr),
            .. Element(0x003A0020, "SH", Text(label), implicitVr),
            .. Sequence(0x003A0200, channels, undefinedLength, implicitVr),
            .. Element(0x54001004, "US", UInt16(16), implicitVr),
            .. Element(0x54001006, "CS", Text("SS"), implicitVr),
            .. Element(0x54001010, "OW", data, implicitVr),
        ];
    }

    private static void Tag(List<byte> b, uint tag)
    {
        b.Add((byte)(tag >> 16));
        b.Add((byte)(tag >> 24));
        b.Add((byte)tag);
        b.Add((byte)(tag >> 8));
    }

    private static void U32(List<byte> b, uint v) => b.AddRange(UInt32(v));
}
