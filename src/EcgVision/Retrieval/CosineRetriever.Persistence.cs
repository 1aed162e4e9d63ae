using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using EcgVision.Internal;
using EcgVision.Retrieval.Internal;
using EcgVision.Signals;

namespace EcgVision.Retrieval;

public sealed unsafe partial class CosineRetriever<TKey>
{
    /// <summary>Test hook: runs after the whole file has been written to the temporary file and before it is renamed into place.</summary>
    internal Action? SaveFaultInjection { get; set; }

    /// <summary>Saves the live vectors, their keys and optional case metadata to one file, atomically.</summary>
    /// <param name="path">Target file; replaced only once the new file is complete (temporary file, flush, rename).</param>
    /// <param name="metadata">Optional metadata per key; every key must be in the index.</param>
    /// <remarks>The format (magic <c>ECGVIDX\0</c>, version 1, CRC-32C checksums) is specified in docs/retrieval.md. Concurrent searches may continue; the file holds the snapshot current when saving starts.</remarks>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or <paramref name="metadata"/> names a key that is not in the index.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="TKey"/> is not <see cref="int"/>, <see cref="long"/>, <see cref="string"/> or <see cref="Guid"/>.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path, IReadOnlyDictionary<TKey, CaseMetadata>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ThrowIfDisposed();
        byte keyType = IndexFileFormat.KeyTypeOf<TKey>();
        Snapshot s = _snapshot;
        s.Store.EnsureVerified();
        int[] rows = s.LiveRows().ToArray();
        int d = Dimension;

        var keyBytes = new ArrayBufferWriterStream();
        var rowOfKey = new Dictionary<TKey, int>(rows.Length);
        for (int i = 0; i < rows.Length; i++)
        {
            TKey key = s.Store.Keys[rows[i]];
            IndexFileFormat.WriteKey(keyBytes, key);
            rowOfKey.Add(key, i);
        }

        var meta = new SortedDictionary<int, CaseMetadata>();
        if (metadata is not null)
        {
            foreach ((TKey key, CaseMetadata value) in metadata)
            {
                if (!rowOfKey.TryGetValue(key, out int row))
                {
                    throw new ArgumentException($"Metadata names key '{key}', which is not in the index.", nameof(metadata));
                }

                meta[row] = value ?? throw new ArgumentException($"Metadata for key '{key}' is null.", nameof(metadata));
            }
        }

        byte[] metaBytes = JsonSerializer.SerializeToUtf8Bytes(meta, RetrievalJsonContext.Default.SortedDictionaryInt32CaseMetadata);
        var layout = IndexFileFormat.Layout.Compute(Storage, d, rows.Length, keyBytes.Length, metaBytes.Length);

        // Sections between the header and the vectors: keys, metadata, zero padding.
        byte[] sections = new byte[layout.VectorsOffset - IndexFileFormat.HeaderSize];
        keyBytes.WrittenSpan.CopyTo(sections);
        metaBytes.CopyTo(sections, (int)(layout.MetadataOffset - IndexFileFormat.HeaderSize));

        // The payload is checksummed in a first pass so the header can be written first.
        uint payloadCrc = 0xFFFFFFFFu;
        WritePayload(s, rows, layout, span => payloadCrc = Crc32C.Append(payloadCrc, span));
        payloadCrc = ~payloadCrc;

        byte[] header = IndexFileFormat.WriteHeader(layout, Storage, keyType, d, rows.Length, Crc32C.Compute(sections), payloadCrc);
        AtomicFile.Write(path, stream =>
        {
            stream.Write(header);
            stream.Write(sections);
            WritePayload(s, rows, layout, span => stream.Write(span));
            SaveFaultInjection?.Invoke();
        });
    }

    /// <summary>Opens a saved index by memory-mapping it.</summary>
    /// <param name="path">A file written by <see cref="Save"/>.</param>
    /// <param name="verifyOnOpen">Verify the vector checksum now (O(file size)) instead of before the first search.</param>
    /// <returns>The index; dispose it to unmap the file.</returns>
    /// <remarks>
    /// The header, keys and metadata are checked (CRC-32C) on open; the vectors are checked once, before the first search,
    /// <see cref="SearchBatch"/>, <see cref="TryGetVector"/>, <see cref="Save"/> or write touches them, so a corrupt file never produces a result.
    /// </remarks>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="EcgFormatException">The file is not an index, has an unsupported version, is truncated or corrupt, or holds another key type.</exception>
    public static CosineRetriever<TKey> Load(string path, bool verifyOnOpen = false) => Load(path, out _, verifyOnOpen);

    /// <summary>Opens a saved index by memory-mapping it, and returns its case metadata.</summary>
    /// <param name="path">A file written by <see cref="Save"/>.</param>
    /// <param name="metadata">The metadata saved with the index, by key (empty if none was saved).</param>
    /// <param name="verifyOnOpen">Verify the vector checksum now instead of before the first search.</param>
    /// <returns>The index; dispose it to unmap the file.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="EcgFormatException">The file is not an index, has an unsupported version, is truncated or corrupt, or holds another key type.</exception>
    public static CosineRetriever<TKey> Load(string path, out IReadOnlyDictionary<TKey, CaseMetadata> metadata, bool verifyOnOpen = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"Index file '{full}' does not exist.", full);
        }

        long fileLength = new FileInfo(full).Length;
        byte[] header = new byte[IndexFileFormat.HeaderSize];
        using (var fs = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            fs.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }

        IndexFileFormat.Header h = IndexFileFormat.ReadHeader(header, fileLength, full);
        byte expectedKey = IndexFileFormat.KeyTypeOf<TKey>();
        if (h.KeyType != expectedKey)
        {
            throw new EcgFormatException(
                $"The index holds {IndexFileFormat.KeyTypeName(h.KeyType)} keys but was opened as CosineRetriever<{typeof(TKey).Name}>.", full, "key type");
        }

        var region = new MappedRegion(full, fileLength);
        try
        {
            byte* p = region.Pointer;
            var sections = new ReadOnlySpan<byte>(p + IndexFileFormat.HeaderSize, (int)(h.Layout.VectorsOffset - IndexFileFormat.HeaderSize));
            uint crc = Crc32C.Compute(sections);
            if (crc != h.SectionsCrc)
            {
                throw new EcgFormatException(
                    $"Keys/metadata checksum mismatch (stored 0x{h.SectionsCrc:X8}, computed 0x{crc:X8}); the file is corrupt.", full, "sections checksum");
            }

            TKey[] keys = IndexFileFormat.ReadKeys<TKey>(sections[..(int)h.Layout.KeysLength], h.Count, full);
            var seen = new HashSet<TKey>(h.Count);
            foreach (TKey key in keys)
            {
                if (!seen.Add(key))
                {
                    throw new EcgFormatException($"Key '{key}' appears more than once; keys must be unique.", full, "keys");
                }
            }

            ReadOnlySpan<byte> metaSpan = sections.Slice((int)(h.Layout.MetadataOffset - IndexFileFormat.HeaderSize), (int)h.Layout.MetadataLength);
            SortedDictionary<int, CaseMetadata>? meta;
            try
            {
                meta = JsonSerializer.Deserialize(metaSpan, RetrievalJsonContext.Default.SortedDictionaryInt32CaseMetadata);
            }
            catch (JsonException e)
            {
                throw new EcgFormatException($"Metadata section is not valid JSON: {e.Message}", full, "metadata", e);
            }

            var byKey = new Dictionary<TKey, CaseMetadata>();
            foreach ((int row, CaseMetadata value) in meta ?? [])
            {
                if ((uint)row >= (uint)h.Count || value is null)
                {
                    throw new EcgFormatException($"Metadata refers to row {row}, outside [0, {h.Count}).", full, "metadata");
                }

                byKey[keys[row]] = value;
            }

            metadata = byKey;
            IndexFileFormat.Layout l = h.Layout;
            var store = new RowStore<TKey>(
                h.Dimension, h.Count, h.Storage, keys, region,
                (float*)(p + l.VectorsOffset),
                h.Storage == RetrieverStorage.Float16 ? (Half*)(p + l.CompactOffset) : null,
                h.Storage == RetrieverStorage.Int8 ? (sbyte*)(p + l.CompactOffset) : null,
                h.Storage == RetrieverStorage.Int8 ? (float*)(p + l.ScalesOffset) : null)
            {
                PayloadVerifier = () =>
                {
                    uint actual = Crc32C.Compute(p + l.VectorsOffset, l.FileLength - l.VectorsOffset);
                    return actual == h.PayloadCrc
                        ? null
                        : new EcgFormatException(
                            $"Vector payload checksum mismatch (stored 0x{h.PayloadCrc:X8}, computed 0x{actual:X8}); the file is corrupt.", full, "payload checksum");
                },
            };
            if (verifyOnOpen)
            {
                store.EnsureVerified();
            }

            return new CosineRetriever<TKey>(h.Dimension, new CosineRetrieverOptions { Storage = h.Storage }, store, region);
        }
        catch
        {
            region.Dispose();
            throw;
        }
    }

    private void WritePayload(Snapshot s, int[] rows, IndexFileFormat.Layout layout, SpanAction write)
    {
        int d = Dimension;
        RowStore<TKey> st = s.Store;
        bool contiguous = rows.Length == s.Count;
        long written = layout.VectorsOffset;
        WriteRows((byte*)st.Vectors, (long)d * sizeof(float));
        if (Storage == RetrieverStorage.Float16)
        {
            Pad(layout.CompactOffset);
            WriteRows((byte*)st.HalfRows, (long)d * 2);
        }
        else if (Storage == RetrieverStorage.Int8)
        {
            Pad(layout.CompactOffset);
            WriteRows((byte*)st.Int8Rows, d);
            Pad(layout.ScalesOffset);
            WriteRows((byte*)st.Scales, sizeof(float));
        }

        void WriteRows(byte* basePtr, long rowBytes)
        {
            if (contiguous)
            {
                long total = rowBytes * rows.Length;
                for (long off = 0; off < total; off += 1 << 26)
                {
                    write(new ReadOnlySpan<byte>(basePtr + off, (int)Math.Min(1 << 26, total - off)));
                }
            }
            else
            {
                foreach (int row in rows)
                {
                    write(new ReadOnlySpan<byte>(basePtr + (row * rowBytes), (int)rowBytes));
                }
            }

            written += rowBytes * rows.Length;
        }

        void Pad(long offset)
        {
            Span<byte> zeros = stackalloc byte[64];
            zeros.Clear();
            write(zeros[..(int)(offset - written)]);
            written = offset;
        }
    }

    private delegate void SpanAction(ReadOnlySpan<byte> span);

    /// <summary>A growable byte buffer that key codecs write into.</summary>
    private sealed class ArrayBufferWriterStream
    {
        private byte[] _buffer = new byte[256];

        public int Length { get; private set; }

        public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Length);

        public Span<byte> GetSpan(int size)
        {
            if (Length + size > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + size));
            }

            return _buffer.AsSpan(Length, size);
        }

        public void Advance(int count) => Length += count;
    }

    /// <summary>The binary layout of an index file (little-endian); see docs/retrieval.md for the table.</summary>
    private static class IndexFileFormat
    {
        public const int HeaderSize = 128;
        public const uint CurrentVersion = 1;
        public static ReadOnlySpan<byte> Magic => "ECGVIDX\0"u8;

        public static byte KeyTypeOf<T>() =>
            typeof(T) == typeof(int) ? (byte)1
            : typeof(T) == typeof(long) ? (byte)2
            : typeof(T) == typeof(string) ? (byte)3
            : typeof(T) == typeof(Guid) ? (byte)4
            : throw new NotSupportedException($"Key type {typeof(T).Name} cannot be saved (supported: Int32, Int64, String, Guid).");

        public static string KeyTypeName(byte code) => code switch
        {
            1 => "Int32",
            2 => "Int64",
            3 => "String",
            4 => "Guid",
            _ => $"unknown ({code})",
        };

        public static void WriteKey(ArrayBufferWriterStream w, TKey key)
        {
            switch (key)
            {
                case int i:
                    BinaryPrimitives.WriteInt32LittleEndian(w.GetSpan(4), i);
                    w.Advance(4);
                    break;
                case long l:
                    BinaryPrimitives.WriteInt64LittleEndian(w.GetSpan(8), l);
                    w.Advance(8);
                    break;
                case Guid g:
                    g.TryWriteBytes(w.GetSpan(16));
                    w.Advance(16);
                    break;
                case string s:
                    int n = System.Text.Encoding.UTF8.GetByteCount(s);
                    BinaryPrimitives.WriteInt32LittleEndian(w.GetSpan(4), n);
                    w.Advance(4);
                    System.Text.Encoding.UTF8.GetBytes(s, w.GetSpan(n));
                    w.Advance(n);
                    break;
                default:
                    throw new NotSupportedException($"Key type {typeof(TKey).Name} cannot be saved.");
            }
        }

        private static void Need(int length, int pos, long n, int index, string path)
        {
            if (pos + n > length)
            {
                throw new EcgFormatException($"Key section ends inside key {index} (needs {n} more bytes at offset {pos}, has {length - pos}).", path, "keys");
            }
        }

        public static T[] ReadKeys<T>(ReadOnlySpan<byte> data, int count, string path)
        {
            var keys = new T[count];
            int pos = 0;
            for (int i = 0; i < count; i++)
            {
                object key;
                if (typeof(T) == typeof(int))
                {
                    Need(data.Length, pos, 4, i, path);
                    key = BinaryPrimitives.ReadInt32LittleEndian(data[pos..]);
                    pos += 4;
                }
                else if (typeof(T) == typeof(long))
                {
                    Need(data.Length, pos, 8, i, path);
                    key = BinaryPrimitives.ReadInt64LittleEndian(data[pos..]);
                    pos += 8;
                }
                else if (typeof(T) == typeof(Guid))
                {
                    Need(data.Length, pos, 16, i, path);
                    key = new Guid(data.Slice(pos, 16));
                    pos += 16;
                }
                else
                {
                    Need(data.Length, pos, 4, i, path);
                    int n = BinaryPrimitives.ReadInt32LittleEndian(data[pos..]);
                    pos += 4;
                    if (n < 0)
                    {
                        throw new EcgFormatException($"String key {i} has negative length {n}.", path, "keys");
                    }

                    Need(data.Length, pos, n, i, path);
                    key = System.Text.Encoding.UTF8.GetString(data.Slice(pos, n));
                    pos += n;
                }

                keys[i] = (T)key;
            }

            if (pos != data.Length)
            {
                throw new EcgFormatException($"Key section has {data.Length - pos} bytes left over after {count} keys.", path, "keys");
            }

            return keys;

        }

        public static byte[] WriteHeader(Layout l, RetrieverStorage storage, byte keyType, int dimension, int count, uint sectionsCrc, uint payloadCrc)
        {
            byte[] h = new byte[HeaderSize];
            Span<byte> s = h;
            Magic.CopyTo(s);
            BinaryPrimitives.WriteUInt32LittleEndian(s[8..], CurrentVersion);
            BinaryPrimitives.WriteUInt32LittleEndian(s[12..], HeaderSize);
            s[16] = (byte)storage;
            s[17] = keyType;
            BinaryPrimitives.WriteInt32LittleEndian(s[20..], dimension);
            BinaryPrimitives.WriteInt64LittleEndian(s[24..], count);
            BinaryPrimitives.WriteInt64LittleEndian(s[32..], l.FileLength);
            BinaryPrimitives.WriteInt64LittleEndian(s[40..], l.KeysOffset);
            BinaryPrimitives.WriteInt64LittleEndian(s[48..], l.KeysLength);
            BinaryPrimitives.WriteInt64LittleEndian(s[56..], l.MetadataOffset);
            BinaryPrimitives.WriteInt64LittleEndian(s[64..], l.MetadataLength);
            BinaryPrimitives.WriteInt64LittleEndian(s[72..], l.VectorsOffset);
            BinaryPrimitives.WriteInt64LittleEndian(s[80..], l.CompactOffset);
            BinaryPrimitives.WriteInt64LittleEndian(s[88..], l.ScalesOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(s[96..], sectionsCrc);
            BinaryPrimitives.WriteUInt32LittleEndian(s[100..], payloadCrc);
            BinaryPrimitives.WriteUInt32LittleEndian(s[124..], Crc32C.Compute(s[..124]));
            return h;
        }

        public static Header ReadHeader(ReadOnlySpan<byte> s, long fileLength, string path)
        {
            if (fileLength < 8 || !s[..8].SequenceEqual(Magic))
            {
                throw new EcgFormatException("Not an EcgVision index: the file does not start with the magic bytes 'ECGVIDX\\0'.", path, "magic");
            }

            if (fileLength < HeaderSize)
            {
                throw new EcgFormatException($"File is truncated: {fileLength} bytes, shorter than the {HeaderSize}-byte header.", path, "header");
            }

            uint version = BinaryPrimitives.ReadUInt32LittleEndian(s[8..]);
            if (version != CurrentVersion)
            {
                throw new EcgFormatException($"Unsupported index format version {version} (this library reads version {CurrentVersion}).", path, "version");
            }

            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(s[124..]);
            uint computed = Crc32C.Compute(s[..124]);
            if (stored != computed)
            {
                throw new EcgFormatException($"Header checksum mismatch (stored 0x{stored:X8}, computed 0x{computed:X8}); the file is corrupt.", path, "header checksum");
            }

            var storage = (RetrieverStorage)s[16];
            int dimension = BinaryPrimitives.ReadInt32LittleEndian(s[20..]);
            long count = BinaryPrimitives.ReadInt64LittleEndian(s[24..]);
            long declaredLength = BinaryPrimitives.ReadInt64LittleEndian(s[32..]);
            if (declaredLength != fileLength)
            {
                throw new EcgFormatException(
                    declaredLength > fileLength
                        ? $"File is truncated: the header declares {declaredLength} bytes but the file has {fileLength}."
                        : $"File has {fileLength - declaredLength} unexpected trailing bytes (header declares {declaredLength}, file has {fileLength}).",
                    path, "file length");
            }

            if (!Enum.IsDefined(storage) || dimension < 1 || count < 0 || count > int.MaxValue ||
                BinaryPrimitives.ReadUInt32LittleEndian(s[12..]) != HeaderSize)
            {
                throw new EcgFormatException($"Header fields out of range (storage {(int)storage}, dimension {dimension}, count {count}).", path, "header");
            }

            long keysLength = BinaryPrimitives.ReadInt64LittleEndian(s[48..]);
            long metaLength = BinaryPrimitives.ReadInt64LittleEndian(s[64..]);
            Layout expected = keysLength is >= 0 and <= int.MaxValue && metaLength is >= 0 and <= int.MaxValue
                ? Layout.Compute(storage, dimension, (int)count, keysLength, metaLength)
                : default;
            if (expected.FileLength != fileLength ||
                BinaryPrimitives.ReadInt64LittleEndian(s[40..]) != expected.KeysOffset ||
                BinaryPrimitives.ReadInt64LittleEndian(s[56..]) != expected.MetadataOffset ||
                BinaryPrimitives.ReadInt64LittleEndian(s[72..]) != expected.VectorsOffset ||
                BinaryPrimitives.ReadInt64LittleEndian(s[80..]) != expected.CompactOffset ||
                BinaryPrimitives.ReadInt64LittleEndian(s[88..]) != expected.ScalesOffset ||
                expected.VectorsOffset - HeaderSize > int.MaxValue)
            {
                throw new EcgFormatException("Section offsets do not match the layout implied by the header fields.", path, "layout");
            }

            return new Header(storage, s[17], dimension, (int)count, expected,
                BinaryPrimitives.ReadUInt32LittleEndian(s[96..]), BinaryPrimitives.ReadUInt32LittleEndian(s[100..]));
        }

        public readonly record struct Header(RetrieverStorage Storage, byte KeyType, int Dimension, int Count, Layout Layout, uint SectionsCrc, uint PayloadCrc);

        public readonly record struct Layout(
            long KeysOffset, long KeysLength, long MetadataOffset, long MetadataLength,
            long VectorsOffset, long CompactOffset, long ScalesOffset, long FileLength)
        {
            public static Layout Compute(RetrieverStorage storage, int dimension, int count, long keysLength, long metaLength)
            {
                long keys = HeaderSize;
                long meta = keys + keysLength;
                long vectors = Align(meta + metaLength);
                long end = vectors + ((long)count * dimension * sizeof(float));
                long compact = 0, scales = 0;
                if (storage == RetrieverStorage.Float16)
                {
                    compact = Align(end);
                    end = compact + ((long)count * dimension * 2);
                }
                else if (storage == RetrieverStorage.Int8)
                {
                    compact = Align(end);
                    scales = Align(compact + ((long)count * dimension));
                    end = scales + ((long)count * sizeof(float));
                }

                return new Layout(keys, keysLength, meta, metaLength, vectors, compact, scales, end);
            }

            private static long Align(long x) => (x + 63) & ~63L;
        }
    }
}

/// <summary>Source-generated JSON for the metadata section.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(SortedDictionary<int, CaseMetadata>))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class RetrievalJsonContext : System.Text.Json.Serialization.JsonSerializerContext
{
}
