using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace EcgVision.Retrieval.Internal;

/// <summary>CRC-32C (Castagnoli), hardware-accelerated on x64 (SSE4.2) and Arm64 (CRC32), table-driven elsewhere.</summary>
/// <remarks>Checks the retriever's file sections; the hardware path runs at several GB/s on one core, so a 100 MB index verifies in tens of ms.</remarks>
internal static class Crc32C
{
    private static readonly uint[] s_table = BuildTable();

    /// <summary>Returns the CRC-32C of <paramref name="data"/> (initial value and final xor 0xFFFFFFFF, like iSCSI/ext4).</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(0xFFFFFFFFu, data);

    /// <summary>Continues a raw (not finalised) CRC state over more bytes.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        if (Sse42.X64.IsSupported)
        {
            ReadOnlySpan<ulong> words = MemoryMarshal.Cast<byte, ulong>(data);
            ulong c = crc;
            foreach (ulong w in words)
            {
                c = Sse42.X64.Crc32(c, w);
            }

            crc = (uint)c;
            data = data[(words.Length * 8)..];
            foreach (byte b in data)
            {
                crc = Sse42.Crc32(crc, b);
            }

            return crc;
        }

        if (Crc32.Arm64.IsSupported)
        {
            ReadOnlySpan<ulong> words = MemoryMarshal.Cast<byte, ulong>(data);
            foreach (ulong w in words)
            {
                crc = Crc32.Arm64.ComputeCrc32C(crc, w);
            }

            data = data[(words.Length * 8)..];
            foreach (byte b in data)
            {
                crc = Crc32.ComputeCrc32C(crc, b);
            }

            return crc;
        }

        foreach (byte b in data)
        {
            crc = s_table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    /// <summary>CRC-32C of a large unmanaged region, processed in chunks (spans are limited to 2 GB).</summary>
    public static unsafe uint Compute(byte* data, long length)
    {
        uint crc = 0xFFFFFFFFu;
        while (length > 0)
        {
            int n = (int)Math.Min(length, 1 << 30);
            crc = Append(crc, new ReadOnlySpan<byte>(data, n));
            data += n;
            length -= n;
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var t = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0x82F63B78u ^ (c >> 1) : c >> 1;
            }

            t[i] = c;
        }

        return t;
    }
}
