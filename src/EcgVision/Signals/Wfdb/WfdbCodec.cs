using System.Buffers.Binary;

namespace EcgVision.Signals.Wfdb;

/// <summary>Packs and unpacks the sample stream of one WFDB signal file (all signals of the file, interleaved in frame order).</summary>
internal static class WfdbCodec
{
    public static bool IsKnown(int format) => format is 0 or 8 or 16 or 24 or 32 or 61 or 80 or 160 or 212 or 310 or 311;

    public static bool CanWrite(WfdbFormat format) => format is WfdbFormat.Format16 or WfdbFormat.Format24 or WfdbFormat.Format32
        or WfdbFormat.Format61 or WfdbFormat.Format80 or WfdbFormat.Format160 or WfdbFormat.Format212;

    /// <summary>The invalid-sample sentinel of a format (the most negative value it can hold).</summary>
    public static int InvalidSample(WfdbFormat format) => format switch
    {
        WfdbFormat.Format8 or WfdbFormat.Format80 => -128,
        WfdbFormat.Format16 or WfdbFormat.Format61 or WfdbFormat.Format160 => short.MinValue,
        WfdbFormat.Format24 => -(1 << 23),
        WfdbFormat.Format32 or WfdbFormat.Null => int.MinValue,
        WfdbFormat.Format212 => -2048,
        WfdbFormat.Format310 or WfdbFormat.Format311 => -512,
        _ => throw new NotSupportedException($"WFDB format {(int)format} is not supported."),
    };

    /// <summary>The largest value a format can hold.</summary>
    public static int MaxValue(WfdbFormat format) => format switch
    {
        WfdbFormat.Format8 or WfdbFormat.Format80 => 127,
        WfdbFormat.Format16 or WfdbFormat.Format61 or WfdbFormat.Format160 => short.MaxValue,
        WfdbFormat.Format24 => (1 << 23) - 1,
        WfdbFormat.Format32 or WfdbFormat.Null => int.MaxValue,
        WfdbFormat.Format212 => 2047,
        WfdbFormat.Format310 or WfdbFormat.Format311 => 511,
        _ => throw new NotSupportedException($"WFDB format {(int)format} is not supported."),
    };

    /// <summary>Default ADC resolution (bits) of a format.</summary>
    public static int DefaultResolution(WfdbFormat format) => format switch
    {
        WfdbFormat.Format8 or WfdbFormat.Format80 => 8,
        WfdbFormat.Format212 => 12,
        WfdbFormat.Format310 or WfdbFormat.Format311 => 10,
        WfdbFormat.Format24 => 24,
        WfdbFormat.Format32 => 32,
        _ => 16,
    };

    /// <summary>Bytes needed to hold <paramref name="count"/> samples.</summary>
    public static long ByteCount(WfdbFormat format, long count) => format switch
    {
        WfdbFormat.Null => 0,
        WfdbFormat.Format8 or WfdbFormat.Format80 => count,
        WfdbFormat.Format16 or WfdbFormat.Format61 or WfdbFormat.Format160 => 2 * count,
        WfdbFormat.Format24 => 3 * count,
        WfdbFormat.Format32 => 4 * count,
        WfdbFormat.Format212 => (3 * count + 1) / 2,
        WfdbFormat.Format310 => (count / 3 * 4) + (count % 3 == 0 ? 0 : count % 3 == 1 ? 2 : 4),
        WfdbFormat.Format311 => (count / 3 * 4) + (count % 3 == 0 ? 0 : count % 3 == 1 ? 2 : 3),
        _ => throw new NotSupportedException($"WFDB format {(int)format} is not supported."),
    };

    /// <summary>How many whole samples <paramref name="bytes"/> bytes hold.</summary>
    public static long SampleCapacity(WfdbFormat format, long bytes) => format switch
    {
        WfdbFormat.Null => long.MaxValue,
        WfdbFormat.Format8 or WfdbFormat.Format80 => bytes,
        WfdbFormat.Format16 or WfdbFormat.Format61 or WfdbFormat.Format160 => bytes / 2,
        WfdbFormat.Format24 => bytes / 3,
        WfdbFormat.Format32 => bytes / 4,
        WfdbFormat.Format212 => bytes * 2 / 3,
        WfdbFormat.Format310 => (bytes / 4 * 3) + (bytes % 4 >= 2 ? 1 : 0),
        WfdbFormat.Format311 => (bytes / 4 * 3) + (bytes % 4 >= 3 ? 2 : bytes % 4 >= 2 ? 1 : 0),
        _ => throw new NotSupportedException($"WFDB format {(int)format} is not supported."),
    };

    /// <summary>Unpacks <c>destination.Length</c> samples. Format 8 yields the raw differences (the caller integrates them per signal).</summary>
    public static void Decode(WfdbFormat format, ReadOnlySpan<byte> source, Span<int> destination)
    {
        int n = destination.Length;
        switch (format)
        {
            case WfdbFormat.Null:
                destination.Fill(int.MinValue);
                break;
            case WfdbFormat.Format8:
                for (int i = 0; i < n; i++)
                {
                    destination[i] = (sbyte)source[i];
                }

                break;
            case WfdbFormat.Format80:
                for (int i = 0; i < n; i++)
                {
                    destination[i] = source[i] - 128;
                }

                break;
            case WfdbFormat.Format16:
                for (int i = 0; i < n; i++)
                {
                    destination[i] = BinaryPrimitives.ReadInt16LittleEndian(source.Slice(2 * i, 2));
                }

                break;
            case WfdbFormat.Format61:
                for (int i = 0; i < n; i++)
                {
                    destination[i] = BinaryPrimitives.ReadInt16BigEndian(source.Slice(2 * i, 2));
                }

                break;
            case WfdbFormat.Format160:
                for (int i = 0; i < n; i++)
                {
                    destination[i] = BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(2 * i, 2)) - 32768;
                }

                break;
            case WfdbFormat.Format24:
                for (int i = 0; i < n; i++)
                {
                    int v = source[3 * i] | (source[(3 * i) + 1] << 8) | (source[(3 * i) + 2] << 16);
                    destination[i] = (v << 8) >> 8;
                }

                break;
            case WfdbFormat.Format32:
                for (int i = 0; i < n; i++)
                {
                    destination[i] = BinaryPrimitives.ReadInt32LittleEndian(source.Slice(4 * i, 4));
                }

                break;
            case WfdbFormat.Format212:
                for (int i = 0; i < n; i++)
                {
                    int b = 3 * (i >> 1);
                    int v = (i & 1) == 0
                        ? source[b] | ((source[b + 1] & 0x0F) << 8)
                        : source[b + 2] | ((source[b + 1] & 0xF0) << 4);
                    destination[i] = (v << 20) >> 20;
                }

                break;
            case WfdbFormat.Format310:
                for (int i = 0; i < n; i++)
                {
                    int b = 4 * (i / 3);
                    int w0 = source[b] | (source[b + 1] << 8);
                    int k = i % 3;
                    int v;
                    if (k == 0)
                    {
                        v = (w0 >> 1) & 0x3FF;
                    }
                    else
                    {
                        int w1 = source[b + 2] | (source[b + 3] << 8);
                        v = k == 1 ? (w1 >> 1) & 0x3FF : ((w0 >> 11) & 0x1F) | (((w1 >> 11) & 0x1F) << 5);
                    }

                    destination[i] = (v << 22) >> 22;
                }

                break;
            case WfdbFormat.Format311:
                for (int i = 0; i < n; i++)
                {
                    int b = 4 * (i / 3);
                    int k = i % 3;
                    uint word = source[b] | ((uint)source[b + 1] << 8)
                        | (b + 2 < source.Length ? (uint)source[b + 2] << 16 : 0u)
                        | (b + 3 < source.Length ? (uint)source[b + 3] << 24 : 0u);
                    int v = (int)((word >> (10 * k)) & 0x3FF);
                    destination[i] = (v << 22) >> 22;
                }

                break;
            default:
                throw new NotSupportedException($"WFDB format {(int)format} is not supported.");
        }
    }

    /// <summary>Packs samples that are already known to lie in the format's range.</summary>
    public static void Encode(WfdbFormat format, ReadOnlySpan<int> source, Span<byte> destination)
    {
        int n = source.Length;
        switch (format)
        {
            case WfdbFormat.Format80:
                for (int i = 0; i < n; i++)
                {
                    destination[i] = (byte)(source[i] + 128);
                }

                break;
            case WfdbFormat.Format16:
                for (int i = 0; i < n; i++)
                {
                    BinaryPrimitives.WriteInt16LittleEndian(destination.Slice(2 * i, 2), (short)source[i]);
                }

                break;
            case WfdbFormat.Format61:
                for (int i = 0; i < n; i++)
                {
                    BinaryPrimitives.WriteInt16BigEndian(destination.Slice(2 * i, 2), (short)source[i]);
                }

                break;
            case WfdbFormat.Format160:
                for (int i = 0; i < n; i++)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(destination.Slice(2 * i, 2), (ushort)(source[i] + 32768));
                }

                break;
            case WfdbFormat.Format24:
                for (int i = 0; i < n; i++)
                {
                    int v = source[i];
                    destination[3 * i] = (byte)v;
                    destination[(3 * i) + 1] = (byte)(v >> 8);
                    destination[(3 * i) + 2] = (byte)(v >> 16);
                }

                break;
            case WfdbFormat.Format32:
                for (int i = 0; i < n; i++)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(4 * i, 4), source[i]);
                }

                break;
            case WfdbFormat.Format212:
                // An odd final sample leaves the high nibble of the middle byte zero and omits the third byte.
                for (int i = 0; i < n; i += 2)
                {
                    int b = 3 * (i >> 1);
                    int s0 = source[i] & 0xFFF;
                    destination[b] = (byte)s0;
                    if (i + 1 < n)
                    {
                        int s1 = source[i + 1] & 0xFFF;
                        destination[b + 1] = (byte)((s0 >> 8) | ((s1 >> 8) << 4));
                        destination[b + 2] = (byte)s1;
                    }
                    else
                    {
                        destination[b + 1] = (byte)(s0 >> 8);
                    }
                }

                break;
            default:
                throw new NotSupportedException($"Writing WFDB format {(int)format} is not supported; use 16, 212, 80, 61, 160, 24 or 32.");
        }
    }
}
