using System.Buffers.Binary;

namespace EcgVision.Tests.Signals.Formats;

/// <summary>Builds SCP-ECG files from section payloads (headers, section 0 pointers and CRCs computed), and re-seals edited files.</summary>
internal static class ScpTestFile
{
    public static byte[] Build(IReadOnlyDictionary<int, byte[]> sections, byte protocol = 20)
    {
        int[] ids = [.. sections.Keys.Where(k => k != 0).Order()];
        int s0Length = 16 + (10 * (ids.Length + 1));
        var offsets = new Dictionary<int, int>();
        int offset = 6 + s0Length;
        foreach (int id in ids)
        {
            offsets[id] = offset;
            offset += 16 + sections[id].Length;
        }

        var file = new byte[offset];
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(2), (uint)file.Length);
        var s0 = new byte[s0Length - 16];
        WritePointer(s0, 0, 0, s0Length, 7);
        for (int i = 0; i < ids.Length; i++)
        {
            WritePointer(s0, i + 1, ids[i], 16 + sections[ids[i]].Length, offsets[ids[i]] + 1);
        }

        WriteSection(file, 6, 0, s0, protocol);
        foreach (int id in ids)
        {
            WriteSection(file, offsets[id], id, sections[id], protocol);
        }

        return Seal(file);
    }

    /// <summary>Recomputes every section CRC (found through section 0) and the file CRC.</summary>
    public static byte[] Reseal(byte[] file)
    {
        int s0Length = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(10));
        for (int p = 6 + 16; p + 10 <= 6 + s0Length; p += 10)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(p + 2));
            int index = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(p + 6));
            if (length >= 16 && index >= 1 && index - 1 + length <= file.Length)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(index - 1), Crc(file.AsSpan(index + 1, length - 2)));
            }
        }

        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(6), Crc(file.AsSpan(8, s0Length - 2)));
        return Seal(file);
    }

    /// <summary>The byte offset of a section's data (after its 16-byte header), found through section 0.</summary>
    public static int DataOffset(byte[] file, int id)
    {
        int s0Length = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(10));
        for (int p = 6 + 16; p + 10 <= 6 + s0Length; p += 10)
        {
            if (BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(p)) == id)
            {
                return (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(p + 6)) - 1 + 16;
            }
        }

        throw new InvalidOperationException($"no section {id}");
    }

    public static ushort Crc(ReadOnlySpan<byte> data)
    {
        ushort crc = 0xFFFF;
        foreach (byte b in data)
        {
            crc ^= (ushort)(b << 8);
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
            }
        }

        return crc;
    }

    private static byte[] Seal(byte[] file)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(file, Crc(file.AsSpan(2)));
        return file;
    }

    private static void WritePointer(byte[] s0, int i, int id, int length, int index)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(s0.AsSpan(10 * i), (ushort)id);
        BinaryPrimitives.WriteUInt32LittleEndian(s0.AsSpan((10 * i) + 2), (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(s0.AsSpan((10 * i) + 6), (uint)index);
    }

    private static void WriteSection(byte[] file, int offset, int id, byte[] data, byte protocol)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(offset + 2), (ushort)id);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(offset + 4), (uint)(16 + data.Length));
        file[offset + 8] = protocol;
        file[offset + 9] = protocol;
        "SCPECG"u8.CopyTo(file.AsSpan(offset + 10));
        data.CopyTo(file, offset + 16);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(offset), Crc(file.AsSpan(offset + 2, 14 + data.Length)));
    }

    /// <summary>Little-endian byte builder.</summary>
    public sealed class Bytes
    {
        private readonly List<byte> _bytes = [];

        public Bytes U8(int v)
        {
            _bytes.Add((byte)v);
            return this;
        }

        public Bytes U16(int v)
        {
            _bytes.Add((byte)v);
            _bytes.Add((byte)(v >> 8));
            return this;
        }

        public Bytes U32(long v)
        {
            U16((int)(v & 0xFFFF));
            return U16((int)((v >> 16) & 0xFFFF));
        }

        public Bytes Raw(ReadOnlySpan<byte> b)
        {
            _bytes.AddRange(b.ToArray());
            return this;
        }

        public byte[] ToArray() => [.. _bytes];
    }
}
