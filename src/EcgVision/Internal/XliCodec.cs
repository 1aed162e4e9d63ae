using System.Buffers.Binary;
using EcgVision.Signals;

namespace EcgVision.Internal;

/// <summary>
/// Decoder for Philips' XLI waveform compression (Sierra ECG XML <c>parsedwaveforms</c>), as documented by the
/// sierra-ecg-tools project: per lead, an 8-byte chunk header (int32 size, int16 unknown, int16 first delta), then
/// LZW with 10-bit codes (code 1023 ends the chunk); the output bytes are the high bytes of 16-bit delta codes in the
/// first half and the low bytes in the second half; samples follow from the deltas by
/// <c>x[i] = 2·x[i−1] − x[i−2] − (delta[i−1] − 64)</c> (the first delta comes from the header).
/// </summary>
internal static class XliCodec
{
    private const int CodeBits = 10;
    private const int EndCode = (1 << CodeBits) - 1;
    private const int MaxCode = EndCode - 1;

    /// <summary>Decodes up to <paramref name="maxLeads"/> lead chunks, each to at least <paramref name="samples"/> samples (extra samples are dropped).</summary>
    public static List<int[]> Decode(ReadOnlySpan<byte> data, int maxLeads, int samples, string source)
    {
        var leads = new List<int[]>();
        int p = 0;
        while (leads.Count < maxLeads && p + 8 <= data.Length)
        {
            int size = BinaryPrimitives.ReadInt32LittleEndian(data[p..]);
            short first = BinaryPrimitives.ReadInt16LittleEndian(data[(p + 6)..]);
            p += 8;
            if (size < 0 || size > data.Length - p)
            {
                throw new EcgFormatException($"XLI chunk {leads.Count} declares {size} bytes but {data.Length - p} remain.", source, "parsedwaveforms XLI chunk size");
            }

            byte[] bytes = Lzw(data.Slice(p, size), 2L * samples, leads.Count, source);
            p += size;
            int[] values = Deltas(bytes, first);
            if (values.Length < samples)
            {
                throw new EcgFormatException($"XLI chunk {leads.Count} decodes to {values.Length} samples but durationperchannel × rate needs {samples}.", source, "parsedwaveforms XLI chunk");
            }

            leads.Add(values.Length == samples ? values : values[..samples]);
        }

        return leads;
    }

    private static byte[] Lzw(ReadOnlySpan<byte> chunk, long expectedBytes, int lead, string source)
    {
        // Output bound: the decoded chunk should be 2 bytes per sample; refuse anything far beyond it.
        long limit = Math.Max(1 << 16, 4 * expectedBytes);
        var prefix = new int[MaxCode + 1];
        var suffix = new byte[MaxCode + 1];
        var length = new int[MaxCode + 1];
        for (int i = 0; i < 256; i++)
        {
            prefix[i] = -1;
            suffix[i] = (byte)i;
            length[i] = 1;
        }

        int next = 256, previous = -1;
        var output = new List<byte>((int)Math.Min(expectedBytes + 16, 1 << 20));
        var scratch = new byte[MaxCode + 2];
        long codes = (long)chunk.Length * 8 / CodeBits;
        for (long c = 0; c < codes; c++)
        {
            int code = 0;
            long bit = c * CodeBits;
            for (int b = 0; b < CodeBits; b++, bit++)
            {
                code = (code << 1) | ((chunk[(int)(bit >> 3)] >> (7 - (int)(bit & 7))) & 1);
            }

            if (code == EndCode)
            {
                break;
            }

            int entryLength;
            if (code < next)
            {
                entryLength = Expand(code, prefix, suffix, length, scratch);
            }
            else if (code == next && previous >= 0)
            {
                // The "string + first character + string" case: previous entry followed by its own first character.
                entryLength = Expand(previous, prefix, suffix, length, scratch);
                scratch[entryLength] = scratch[0];
                entryLength++;
            }
            else
            {
                throw new EcgFormatException($"XLI chunk {lead}: LZW code {code} is not yet defined (next code {next}); the data is corrupt.", source, "parsedwaveforms XLI data");
            }

            if (output.Count + entryLength > limit)
            {
                throw new EcgFormatException($"XLI chunk {lead} decompresses to more than {limit} bytes (expected about {expectedBytes}).", source, "parsedwaveforms XLI data");
            }

            for (int i = 0; i < entryLength; i++)
            {
                output.Add(scratch[i]);
            }

            if (previous >= 0 && next <= MaxCode)
            {
                prefix[next] = previous;
                suffix[next] = scratch[0];
                length[next] = length[previous] + 1;
                next++;
            }

            previous = code;
        }

        return [.. output];
    }

    private static int Expand(int code, int[] prefix, byte[] suffix, int[] length, byte[] destination)
    {
        int n = length[code];
        for (int i = n - 1, c = code; i >= 0; i--, c = prefix[c])
        {
            destination[i] = suffix[c];
        }

        return n;
    }

    private static int[] Deltas(byte[] bytes, short first)
    {
        int n = (bytes.Length + 1) / 2;
        var raw = new int[n];
        for (int i = 0, j = n; i < n; i++, j++)
        {
            raw[i] = (short)((bytes[i] << 8) | (j < bytes.Length ? bytes[j] : 0));
        }

        var output = new int[n];
        if (n > 0)
        {
            output[0] = raw[0];
        }

        if (n > 1)
        {
            output[1] = raw[1];
        }

        int x = n > 0 ? raw[0] : 0, y = n > 1 ? raw[1] : 0, last = first;
        for (int i = 2; i < n; i++)
        {
            int z = y + y - x - last;
            last = raw[i] - 64;
            output[i] = z;
            x = y;
            y = z;
        }

        return output;
    }
}
