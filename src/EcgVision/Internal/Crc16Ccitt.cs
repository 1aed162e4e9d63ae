namespace EcgVision.Internal;

/// <summary>CRC-CCITT (polynomial 0x1021, initial value 0xFFFF, not reflected, no final XOR), as SCP-ECG uses for the file and each section.</summary>
internal static class Crc16Ccitt
{
    private static readonly ushort[] s_table = CreateTable();

    public static ushort Compute(ReadOnlySpan<byte> data)
    {
        ushort crc = 0xFFFF;
        foreach (byte b in data)
        {
            crc = (ushort)((crc << 8) ^ s_table[((crc >> 8) ^ b) & 0xFF]);
        }

        return crc;
    }

    private static ushort[] CreateTable()
    {
        var table = new ushort[256];
        for (int i = 0; i < 256; i++)
        {
            int c = i << 8;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 0x8000) != 0 ? (c << 1) ^ 0x1021 : c << 1;
            }

            table[i] = (ushort)c;
        }

        return table;
    }
}
