using TorchSharp;

namespace EcgVision.Torch.Internal;

/// <summary>
/// Checks a TorchSharp <c>module.save</c> stream against the tensors a module expects, in managed code, before
/// <c>module.load</c> reads it.
/// </summary>
/// <remarks>
/// The format (TorchSharp's <c>Module.save</c>): the entry count as unsigned LEB128, then per entry the state_dict key
/// (<see cref="BinaryWriter.Write(string)"/>: 7-bit length prefix + UTF-8), the element type, the rank and each dimension
/// (unsigned LEB128), then <c>numel × element size</c> raw bytes. TorchSharp's own loader trusts the rank (it allocates
/// <c>new long[rank]</c> before comparing, so a few corrupt bytes ask for gigabytes), accepts a key twice (the
/// parameter that was left out keeps its random initial values) and reads the data with one <c>ReadBytes</c>. This
/// check rejects all of that with an <see cref="InvalidDataException"/> that names the file, the entry and the value.
/// </remarks>
internal static class StateDictStream
{
    /// <summary>Validates <paramref name="stream"/> from its current position to its end; leaves the position at the end.</summary>
    /// <param name="stream">A seekable stream holding one saved state_dict and nothing after it.</param>
    /// <param name="expected">The module's <c>state_dict()</c>.</param>
    /// <param name="source">The file name for messages.</param>
    /// <exception cref="InvalidDataException">The stream does not hold exactly the expected entries.</exception>
    public static void Validate(Stream stream, IReadOnlyDictionary<string, torch.Tensor> expected, string source)
    {
        long length = stream.Length;
        using var reader = new BinaryReader(stream, new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true), leaveOpen: true);
        long count = ReadLeb128(reader, source, "the entry count");
        if (count != expected.Count)
        {
            throw new InvalidDataException($"'{source}': the weights must hold {expected.Count} state_dict entries (got {count}).");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (long i = 0; i < count; i++)
        {
            string key;
            try
            {
                key = reader.ReadString();
            }
            catch (Exception ex) when (ex is EndOfStreamException or FormatException or IOException or System.Text.DecoderFallbackException)
            {
                throw new InvalidDataException($"'{source}': entry {i}: the state_dict key is truncated or not UTF-8 ({ex.Message}).", ex);
            }

            if (!expected.TryGetValue(key, out var tensor))
            {
                throw new InvalidDataException($"'{source}': entry {i}: the model has no state_dict key '{Printable(key)}'.");
            }

            if (!seen.Add(key))
            {
                throw new InvalidDataException($"'{source}': entry {i}: state_dict key '{key}' appears twice.");
            }

            string what = $"entry {i} ('{key}')";
            long type = ReadLeb128(reader, source, $"{what} element type");
            if (type != (long)tensor.dtype)
            {
                throw new InvalidDataException($"'{source}': {what}: the element type must be {tensor.dtype} ({(int)tensor.dtype}) (got {type}).");
            }

            long[] shape = tensor.shape;
            long rank = ReadLeb128(reader, source, $"{what} rank");
            if (rank != shape.Length)
            {
                throw new InvalidDataException($"'{source}': {what}: the rank must be {shape.Length} (got {rank}).");
            }

            for (int d = 0; d < shape.Length; d++)
            {
                long size = ReadLeb128(reader, source, $"{what} dimension {d}");
                if (size != shape[d])
                {
                    throw new InvalidDataException(
                        $"'{source}': {what}: the shape must be [{string.Join(", ", shape)}] (dimension {d} is {size}).");
                }
            }

            long bytes = tensor.numel() * tensor.ElementSize;
            if (bytes > length - stream.Position)
            {
                throw new InvalidDataException(
                    $"'{source}': {what}: needs {bytes} bytes of data but only {length - stream.Position} are left (the file is truncated).");
            }

            stream.Seek(bytes, SeekOrigin.Current);
        }

        if (stream.Position != length)
        {
            throw new InvalidDataException($"'{source}': {length - stream.Position} unexpected trailing bytes after the {count} state_dict entries.");
        }
    }

    /// <summary>Reads an unsigned LEB128 value of at most 63 bits (TorchSharp's encoding of counts, types and sizes).</summary>
    private static long ReadLeb128(BinaryReader reader, string source, string what)
    {
        long result = 0;
        for (int shift = 0; ; shift += 7)
        {
            int b;
            try
            {
                b = reader.ReadByte();
            }
            catch (EndOfStreamException ex)
            {
                throw new InvalidDataException($"'{source}': the file ends inside {what} (it is truncated).", ex);
            }

            if (shift == 63 && b > 0)
            {
                throw new InvalidDataException($"'{source}': {what} does not fit in 63 bits.");
            }

            result |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }
    }

    private static string Printable(string key) => key.Length <= 80 ? key : string.Concat(key.AsSpan(0, 80), "…");
}
