using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using EcgVision.Internal;

namespace EcgVision.Imaging.Io;

/// <summary>Writes float32 arrays as NumPy <c>.npy</c> files (format version 1.0), loadable with <c>numpy.load</c>.</summary>
/// <remarks>
/// Layout per the NPY format specification: the magic string <c>\x93NUMPY</c>, version bytes 1 and 0, a little-endian uint16 header
/// length, then an ASCII header <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (C, H, W), }</c> padded with spaces and ended by
/// <c>\n</c> so that the data starts at a multiple of 64 bytes, then the values as little-endian float32 in C (row-major) order.
/// </remarks>
public static class NpyWriter
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Saves an array as <c>.npy</c>, atomically (temporary file, then rename).</summary>
    /// <param name="path">The target file (conventionally ending in <c>.npy</c>).</param>
    /// <param name="data">The values in C order.</param>
    /// <param name="shape">The array shape, e.g. <c>[3, 224, 224]</c>; its product must equal the data length. An empty shape writes a 0-d scalar.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, a dimension is negative, or the shape does not match the data length.</exception>
    public static void Save(string path, ReadOnlySpan<float> data, params ReadOnlySpan<int> shape)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] header = BuildHeader(data.Length, shape);
        float[] copy = data.ToArray();
        AtomicFile.Write(path, s => WriteBody(s, header, copy));
    }

    /// <summary>Writes an array in <c>.npy</c> format to a stream.</summary>
    /// <param name="destination">The stream; left open.</param>
    /// <param name="data">The values in C order.</param>
    /// <param name="shape">The array shape; its product must equal the data length.</param>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A dimension is negative, or the shape does not match the data length.</exception>
    public static void Write(Stream destination, ReadOnlySpan<float> data, params ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(destination);
        byte[] header = BuildHeader(data.Length, shape);
        destination.Write(header);
        WriteValues(destination, data);
    }

    /// <summary>The complete header (magic, version, length, dictionary, padding) for a float32 C-order array.</summary>
    internal static byte[] BuildHeader(int length, ReadOnlySpan<int> shape)
    {
        long product = 1;
        var dims = new StringBuilder();
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0)
            {
                throw new ArgumentException($"shape[{i}] must be non-negative (got {shape[i]}).", nameof(shape));
            }

            product *= shape[i];
            dims.Append(shape[i].ToString(CultureInfo.InvariantCulture)).Append(", ");
        }

        if (product != length)
        {
            throw new ArgumentException($"The product of shape ({product}) must equal the data length ({length}).", nameof(shape));
        }

        // Python tuple syntax: () for 0-d, (n,) for 1-d, (a, b) otherwise.
        string tuple = shape.Length switch
        {
            0 => "()",
            1 => $"({shape[0].ToString(CultureInfo.InvariantCulture)},)",
            _ => "(" + dims.ToString(0, dims.Length - 2) + ")",
        };
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {tuple}, }}";
        int preamble = Magic.Length + 2 + 2;
        int total = preamble + dict.Length + 1;
        int padded = (total + 63) / 64 * 64;
        int headerLength = padded - preamble;
        if (headerLength > ushort.MaxValue)
        {
            throw new ArgumentException($"The .npy v1.0 header must be at most 65535 bytes (got {headerLength}); the shape has too many dimensions.", nameof(shape));
        }

        var bytes = new byte[padded];
        Magic.CopyTo(bytes);
        bytes[6] = 1;
        bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)headerLength);
        System.Text.Encoding.ASCII.GetBytes(dict, bytes.AsSpan(preamble));
        bytes.AsSpan(preamble + dict.Length, padded - preamble - dict.Length - 1).Fill((byte)' ');
        bytes[^1] = (byte)'\n';
        return bytes;
    }

    private static void WriteBody(Stream s, byte[] header, float[] data)
    {
        s.Write(header);
        WriteValues(s, data);
    }

    private static void WriteValues(Stream s, ReadOnlySpan<float> data)
    {
        byte[] buffer = new byte[Math.Min(data.Length, 16384) * 4];
        for (int start = 0; start < data.Length; start += buffer.Length / 4)
        {
            int n = Math.Min(buffer.Length / 4, data.Length - start);
            for (int i = 0; i < n; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * 4), data[start + i]);
            }

            s.Write(buffer, 0, n * 4);
        }
    }
}
