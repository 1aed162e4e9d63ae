using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EcgVision.Signals;

namespace EcgVision.Retrieval.Internal;

/// <summary>
/// One generation of row storage: unit-norm float32 rows, optional compact copies (float16 or int8 + per-row scale),
/// keys and per-row deletion versions. Rows below a published snapshot's count are never modified; new rows are appended
/// past it, and compaction or growth builds a new store (copy-on-write), so readers of older snapshots stay consistent.
/// </summary>
internal sealed unsafe class RowStore<TKey>
    where TKey : notnull
{
    private readonly float[]? _vectorArray;
    private readonly Half[]? _halfArray;
    private readonly sbyte[]? _int8Array;
    private readonly float[]? _scaleArray;
    private readonly MappedRegion? _mapped;
    private readonly object _verifyLock = new();
    private volatile bool _verified;
    private Exception? _verifyFailure;

    /// <summary>Creates an empty managed store with room for <paramref name="capacity"/> rows.</summary>
    public RowStore(int dimension, int capacity, RetrieverStorage storage)
    {
        Dimension = dimension;
        Capacity = Math.Max(capacity, 1);
        Storage = storage;
        long n = (long)Capacity * dimension;
        _vectorArray = GC.AllocateUninitializedArray<float>(checked((int)n), pinned: true);
        Vectors = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_vectorArray));
        if (storage == RetrieverStorage.Float16)
        {
            _halfArray = GC.AllocateUninitializedArray<Half>((int)n, pinned: true);
            HalfRows = (Half*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_halfArray));
        }
        else if (storage == RetrieverStorage.Int8)
        {
            _int8Array = GC.AllocateUninitializedArray<sbyte>((int)n, pinned: true);
            Int8Rows = (sbyte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_int8Array));
            _scaleArray = GC.AllocateUninitializedArray<float>(Capacity, pinned: true);
            Scales = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_scaleArray));
        }

        Keys = new TKey[Capacity];
        DeletedAt = new int[Capacity];
        Array.Fill(DeletedAt, int.MaxValue);
        _verified = true;
    }

    /// <summary>Wraps rows that live in a memory-mapped file (read-only; the first write copies them into a managed store).</summary>
    public RowStore(int dimension, int count, RetrieverStorage storage, TKey[] keys, MappedRegion mapped, float* vectors, Half* halfRows, sbyte* int8Rows, float* scales)
    {
        Dimension = dimension;
        Capacity = count;
        Storage = storage;
        Keys = keys;
        DeletedAt = new int[Math.Max(count, 1)];
        Array.Fill(DeletedAt, int.MaxValue);
        _mapped = mapped;
        Vectors = vectors;
        HalfRows = halfRows;
        Int8Rows = int8Rows;
        Scales = scales;
        IsReadOnly = true;
    }

    public int Dimension { get; }

    public int Capacity { get; }

    public RetrieverStorage Storage { get; }

    /// <summary>True for a memory-mapped store: rows cannot be appended in place.</summary>
    public bool IsReadOnly { get; }

    public float* Vectors { get; }

    public Half* HalfRows { get; }

    public sbyte* Int8Rows { get; }

    public float* Scales { get; }

    public TKey[] Keys { get; }

    /// <summary>Version at which each row was removed (<see cref="int.MaxValue"/> while live).</summary>
    public int[] DeletedAt { get; }

    public float* Row(int row) => Vectors + ((long)row * Dimension);

    /// <summary>Writes an already normalised row (and its compact copy) at <paramref name="row"/>.</summary>
    public void WriteRow(int row, ReadOnlySpan<float> unit, TKey key)
    {
        int d = Dimension;
        unit.CopyTo(new Span<float>(Row(row), d));
        WriteCompact(row, unit);
        Keys[row] = key;
        DeletedAt[row] = int.MaxValue;
    }

    /// <summary>Copies row <paramref name="from"/> of <paramref name="source"/> to row <paramref name="to"/> of this store.</summary>
    public void CopyRowFrom(RowStore<TKey> source, int from, int to)
    {
        int d = Dimension;
        new ReadOnlySpan<float>(source.Row(from), d).CopyTo(new Span<float>(Row(to), d));
        if (Storage == RetrieverStorage.Float16)
        {
            new ReadOnlySpan<Half>(source.HalfRows + ((long)from * d), d).CopyTo(new Span<Half>(HalfRows + ((long)to * d), d));
        }
        else if (Storage == RetrieverStorage.Int8)
        {
            new ReadOnlySpan<sbyte>(source.Int8Rows + ((long)from * d), d).CopyTo(new Span<sbyte>(Int8Rows + ((long)to * d), d));
            Scales[to] = source.Scales[from];
        }

        Keys[to] = source.Keys[from];
        DeletedAt[to] = int.MaxValue;
    }

    private void WriteCompact(int row, ReadOnlySpan<float> unit)
    {
        int d = Dimension;
        if (Storage == RetrieverStorage.Float16)
        {
            System.Numerics.Tensors.TensorPrimitives.ConvertToHalf(unit, new Span<Half>(HalfRows + ((long)row * d), d));
        }
        else if (Storage == RetrieverStorage.Int8)
        {
            // Symmetric per-row quantisation: scale = max|x| / 127, q = round(x / scale); the row is unit-norm so max|x| ≤ 1.
            float maxAbs = MathF.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(unit)); // MaxMagnitude keeps the sign
            float scale = maxAbs > 0 ? maxAbs / 127f : 1f;
            float inv = 1f / scale;
            sbyte* dst = Int8Rows + ((long)row * d);
            for (int j = 0; j < d; j++)
            {
                dst[j] = (sbyte)Math.Clamp(MathF.Round(unit[j] * inv), -127f, 127f);
            }

            Scales[row] = scale;
        }
    }

    /// <summary>
    /// Returns a pointer to <paramref name="count"/> float32 rows starting at <paramref name="start"/> for scanning:
    /// the float32 rows themselves, or the compact rows widened into <paramref name="scratch"/>.
    /// </summary>
    public float* ScanRows(int start, int count, float* scratch)
    {
        int d = Dimension;
        switch (Storage)
        {
            case RetrieverStorage.Float16:
                DotKernels.HalfToSingleForScan(HalfRows + ((long)start * d), scratch, count * d);
                return scratch;
            case RetrieverStorage.Int8:
                DotKernels.DequantizeInt8(Int8Rows + ((long)start * d), Scales + start, d, count, scratch);
                return scratch;
            default:
                return Row(start);
        }
    }

    /// <summary>Installs the lazy payload check of a memory-mapped store.</summary>
    public Func<Exception?>? PayloadVerifier { get; init; }

    /// <summary>Verifies the payload checksum once (memory-mapped stores); throws the same error on every call once it failed.</summary>
    /// <exception cref="EcgFormatException">The payload does not match its checksum.</exception>
    public void EnsureVerified()
    {
        if (_verified)
        {
            return;
        }

        lock (_verifyLock)
        {
            if (!_verified && _verifyFailure is null)
            {
                _verifyFailure = PayloadVerifier?.Invoke();
                if (_verifyFailure is null)
                {
                    _verified = true;
                    return;
                }
            }
        }

        if (_verifyFailure is not null)
        {
            // A fresh exception per call (same message) so each caller gets its own stack trace.
            throw new EcgFormatException(_verifyFailure.Message, _verifyFailure);
        }
    }
}

/// <summary>A memory-mapped, read-only view of a whole index file.</summary>
internal sealed unsafe class MappedRegion : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private bool _disposed;

    public MappedRegion(string path, long length)
    {
        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
        _view = _file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        Pointer = p + _view.PointerOffset;
        Length = length;
    }

    public byte* Pointer { get; }

    public long Length { get; }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
