using System.Buffers;
using System.Numerics.Tensors;
using EcgVision.Retrieval.Internal;

namespace EcgVision.Retrieval;

/// <summary>
/// Exact cosine-similarity index over float32 embeddings: vectors are normalised on insert and stored as contiguous rows;
/// a search scores every live row with SIMD kernels and keeps the top-k in a bounded heap.
/// </summary>
/// <typeparam name="TKey">The key type (e.g. <see cref="long"/> or <see cref="string"/> case ids). <see cref="Save"/> supports
/// <see cref="int"/>, <see cref="long"/>, <see cref="string"/> and <see cref="Guid"/>.</typeparam>
/// <remarks>
/// <para>Scores are cosine similarities: higher = more similar, range [-1, 1]. Hits are sorted by descending score; ties go to the
/// vector added earlier (lower row index), so results are deterministic.</para>
/// <para>Concurrency: any number of threads may search while one thread at a time adds, updates or removes (writers are serialised by a
/// lock). Each search reads one immutable snapshot (row count, version, storage generation): rows are appended past the count that
/// published snapshots see, removals are tombstones stamped with the version that removed them, and compaction or growth copies the live rows
/// into a new storage generation. A search therefore sees exactly the vectors live at the moment it started.</para>
/// <para>Removal uses tombstones; when more than <see cref="CosineRetrieverOptions.CompactionThreshold"/> of the rows are tombstones the live rows
/// are copied into a fresh generation (order preserved), so results stay exact and memory is reclaimed.</para>
/// <para>An index opened with <see cref="Load(string, bool)"/> maps its file into memory (opening is O(keys), not O(vectors)); the first write copies
/// the rows into managed memory. Dispose it to unmap the file; do not dispose while searches run.</para>
/// </remarks>
public sealed unsafe partial class CosineRetriever<TKey> : IDisposable
    where TKey : notnull
{
    private const int ScanBlockRows = 256;
    private const int CompactScanBlockRows = 64;

    private readonly object _writeLock = new();
    private readonly Dictionary<TKey, int> _rows = new();
    private readonly CosineRetrieverOptions _options;
    private volatile Snapshot _snapshot;
    private int _version;
    private MappedRegion? _mapped;
    private volatile bool _disposed;

    /// <summary>Creates an empty index.</summary>
    /// <param name="dimension">Length of every vector; at least 1.</param>
    /// <param name="options">Storage and capacity options; <see langword="null"/> for the defaults (exact float32).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is less than 1, or an option is out of range.</exception>
    /// <exception cref="NotSupportedException"><see cref="CosineRetrieverOptions.Storage"/> is not a defined value.</exception>
    public CosineRetriever(int dimension, CosineRetrieverOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        _options = Validate(options ?? new CosineRetrieverOptions());
        Dimension = dimension;
        _snapshot = new Snapshot(new RowStore<TKey>(dimension, _options.InitialCapacity, _options.Storage), 0, 0, 0);
    }

    private CosineRetriever(int dimension, CosineRetrieverOptions options, RowStore<TKey> store, MappedRegion mapped)
    {
        _options = options;
        Dimension = dimension;
        _mapped = mapped;
        for (int i = 0; i < store.Capacity; i++)
        {
            _rows.Add(store.Keys[i], i);
        }

        _snapshot = new Snapshot(store, store.Capacity, 0, 0);
    }

    /// <summary>Length of every stored vector.</summary>
    public int Dimension { get; }

    /// <summary>How rows are stored for scanning.</summary>
    public RetrieverStorage Storage => _options.Storage;

    /// <summary>The options this index was created with.</summary>
    public CosineRetrieverOptions Options => _options;

    /// <summary>Number of live vectors (as of the latest completed write).</summary>
    public int Count => _snapshot.Live;

    /// <summary>Whether <paramref name="key"/> is in the index.</summary>
    /// <param name="key">The key.</param>
    /// <returns><see langword="true"/> if a vector is stored under the key.</returns>
    public bool Contains(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_writeLock)
        {
            return _rows.ContainsKey(key);
        }
    }

    /// <summary>Returns the live keys in row order (insertion order, after compaction).</summary>
    /// <returns>A copy of the keys.</returns>
    public IReadOnlyList<TKey> GetKeys() => _snapshot.LiveKeys();

    /// <summary>Copies the stored (unit-norm) vector of <paramref name="key"/> into <paramref name="destination"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="destination">Receives <see cref="Dimension"/> floats.</param>
    /// <returns><see langword="false"/> if the key is not in the index.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Dimension"/>.</exception>
    public bool TryGetVector(TKey key, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (destination.Length < Dimension)
        {
            throw new ArgumentException($"Destination has {destination.Length} elements but the index dimension is {Dimension}.", nameof(destination));
        }

        lock (_writeLock)
        {
            ThrowIfDisposed();
            if (!_rows.TryGetValue(key, out int row))
            {
                return false;
            }

            Snapshot s = _snapshot;
            s.Store.EnsureVerified();
            new ReadOnlySpan<float>(s.Store.Row(row), Dimension).CopyTo(destination);
            return true;
        }
    }

    /// <summary>Adds a vector under a new key; the vector is normalised to unit length.</summary>
    /// <param name="key">A key not yet in the index.</param>
    /// <param name="vector">The embedding; <see cref="Dimension"/> finite values, not all zero.</param>
    /// <exception cref="ArgumentException">The key is already present, or the vector has the wrong length, a NaN/∞ value or zero norm.</exception>
    public void Add(TKey key, ReadOnlySpan<float> vector)
    {
        ArgumentNullException.ThrowIfNull(key);
        float[] unit = ArrayPool<float>.Shared.Rent(Dimension);
        try
        {
            Normalize(vector, unit, nameof(vector), key);
            lock (_writeLock)
            {
                ThrowIfDisposed();
                ThrowIfDuplicate(key);
                EnsureRoom(1);
                Snapshot s = _snapshot;
                s.Store.WriteRow(s.Count, unit.AsSpan(0, Dimension), key);
                _rows.Add(key, s.Count);
                Publish(s.Store, s.Count + 1, s.Tombstones, _version + 1);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(unit);
        }
    }

    /// <summary>Adds many vectors at once, atomically: either all are added (and become visible together) or none.</summary>
    /// <param name="keys">New keys, distinct from each other and from the stored ones.</param>
    /// <param name="vectors">Row-major <c>[keys.Count, Dimension]</c> embeddings.</param>
    /// <exception cref="ArgumentException">A key is duplicated, the span length is not <c>keys.Count × Dimension</c>, or a vector is invalid (the message names its key).</exception>
    public void AddRange(IReadOnlyList<TKey> keys, ReadOnlySpan<float> vectors)
    {
        ArgumentNullException.ThrowIfNull(keys);
        int d = Dimension;
        if ((long)keys.Count * d != vectors.Length)
        {
            throw new ArgumentException(
                $"Vectors must hold keys.Count × Dimension = {keys.Count} × {d} = {(long)keys.Count * d} values (got {vectors.Length}).", nameof(vectors));
        }

        float[] units = new float[vectors.Length];
        var seen = new HashSet<TKey>();
        for (int i = 0; i < keys.Count; i++)
        {
            TKey key = keys[i] ?? throw new ArgumentException($"Key at index {i} is null.", nameof(keys));
            if (!seen.Add(key))
            {
                throw new ArgumentException($"Key '{key}' appears more than once in the batch (second time at index {i}).", nameof(keys));
            }

            Normalize(vectors.Slice(i * d, d), units.AsSpan(i * d, d), nameof(vectors), key);
        }

        lock (_writeLock)
        {
            ThrowIfDisposed();
            foreach (TKey key in keys)
            {
                ThrowIfDuplicate(key);
            }

            EnsureRoom(keys.Count);
            Snapshot s = _snapshot;
            for (int i = 0; i < keys.Count; i++)
            {
                s.Store.WriteRow(s.Count + i, units.AsSpan(i * d, d), keys[i]);
                _rows.Add(keys[i], s.Count + i);
            }

            Publish(s.Store, s.Count + keys.Count, s.Tombstones, _version + 1);
        }
    }

    /// <summary>Removes the vector stored under <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <returns><see langword="false"/> if the key was not in the index.</returns>
    public bool Remove(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_writeLock)
        {
            ThrowIfDisposed();
            if (!_rows.Remove(key, out int row))
            {
                return false;
            }

            Snapshot s = _snapshot;
            int version = _version + 1;
            Volatile.Write(ref s.Store.DeletedAt[row], version);
            Publish(s.Store, s.Count, s.Tombstones + 1, version);
            MaybeCompact();
            return true;
        }
    }

    /// <summary>Replaces the vector stored under an existing key (atomically: a search sees the old or the new vector, never neither).</summary>
    /// <param name="key">A key in the index.</param>
    /// <param name="vector">The new embedding; same rules as <see cref="Add"/>.</param>
    /// <exception cref="KeyNotFoundException"><paramref name="key"/> is not in the index.</exception>
    /// <exception cref="ArgumentException">The vector has the wrong length, a NaN/∞ value or zero norm.</exception>
    public void Update(TKey key, ReadOnlySpan<float> vector)
    {
        ArgumentNullException.ThrowIfNull(key);
        float[] unit = ArrayPool<float>.Shared.Rent(Dimension);
        try
        {
            Normalize(vector, unit, nameof(vector), key);
            lock (_writeLock)
            {
                ThrowIfDisposed();
                if (!_rows.ContainsKey(key))
                {
                    throw new KeyNotFoundException($"Key '{key}' is not in the index; use Add to insert it.");
                }

                EnsureRoom(1);
                Snapshot s = _snapshot;
                int oldRow = _rows[key];
                int version = _version + 1;
                s.Store.WriteRow(s.Count, unit.AsSpan(0, Dimension), key);
                Volatile.Write(ref s.Store.DeletedAt[oldRow], version);
                _rows[key] = s.Count;
                Publish(s.Store, s.Count + 1, s.Tombstones + 1, version);
                MaybeCompact();
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(unit);
        }
    }

    /// <summary>Returns the <paramref name="top"/> stored vectors most similar to <paramref name="query"/>.</summary>
    /// <param name="query">The query embedding (<see cref="Dimension"/> finite values, not all zero); it is normalised internally.</param>
    /// <param name="top">How many hits to return; at least 1. When it exceeds the number of (filtered) vectors, all of them are returned.</param>
    /// <param name="filter">Optional restriction on the keys that may be returned.</param>
    /// <returns>Hits sorted by descending cosine similarity (ties: earlier-added first); empty for an empty index.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="query"/> has the wrong length, a NaN/∞ value or zero norm.</exception>
    /// <exception cref="Signals.EcgFormatException">The index was loaded from a file whose vectors fail their checksum.</exception>
    /// <exception cref="ObjectDisposedException">The index was disposed.</exception>
    public IReadOnlyList<RetrievalHit<TKey>> Search(ReadOnlySpan<float> query, int top, RetrievalFilter<TKey>? filter = null) =>
        SearchCore(query, top, filter, out _);

    /// <summary>Search that also returns the snapshot it read (tests check results against it).</summary>
    internal RetrievalHit<TKey>[] SearchCore(ReadOnlySpan<float> query, int top, RetrievalFilter<TKey>? filter, out Snapshot snapshot)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        float[] q = ArrayPool<float>.Shared.Rent(Dimension);
        try
        {
            Normalize(query, q, nameof(query), null);
            snapshot = _snapshot;
            snapshot.Store.EnsureVerified();
            fixed (float* qp = q)
            {
                return ScanSnapshot(snapshot, qp, top, filter);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(q);
        }
    }

    /// <summary>Single-query scan of one snapshot with a unit-norm query (already validated).</summary>
    private RetrievalHit<TKey>[] ScanSnapshot(Snapshot s, float* q, int top, RetrievalFilter<TKey>? filter)
    {
        if (s.Live == 0)
        {
            return [];
        }

        int d = Dimension;
        int k = Math.Min(top, s.Live);
        bool compact = s.Store.Storage != RetrieverStorage.Float32;
        var heap = new TopK(compact ? CandidateCount(k, s.Live) : k);
        int block = compact ? CompactScanBlockRows : ScanBlockRows;
        float* scores = stackalloc float[ScanBlockRows];
        float[]? scratch = compact ? ArrayPool<float>.Shared.Rent(block * d) : null;
        try
        {
            fixed (float* sp = scratch)
            {
                for (int start = 0; start < s.Count; start += block)
                {
                    int n = Math.Min(block, s.Count - start);
                    float* rows = s.Store.ScanRows(start, n, sp);
                    DotKernels.DotRows(q, rows, d, n, scores);
                    Admit(heap, scores, 1, start, n, s, filter);
                }
            }

            return compact ? Rescore(heap, k, q, s) : ToHits(heap, s);
        }
        finally
        {
            if (scratch is not null)
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        }
    }

    /// <summary>Releases the memory-mapped file of a loaded index (no-op for an in-memory index).</summary>
    public void Dispose()
    {
        lock (_writeLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _mapped?.Dispose();
            _mapped = null;
        }
    }

    private static CosineRetrieverOptions Validate(CosineRetrieverOptions o)
    {
        if (!Enum.IsDefined(o.Storage))
        {
            throw new NotSupportedException($"Storage {o.Storage} is not supported (use Float32, Float16 or Int8).");
        }

        if (o.RescoreFactor < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(o.RescoreFactor), o.RescoreFactor, $"RescoreFactor must be at least 1 (got {o.RescoreFactor}).");
        }

        if (o.InitialCapacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(o.InitialCapacity), o.InitialCapacity, $"InitialCapacity must be at least 1 (got {o.InitialCapacity}).");
        }

        if (!(o.CompactionThreshold > 0 && o.CompactionThreshold <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(o.CompactionThreshold), o.CompactionThreshold, $"CompactionThreshold must be in (0, 1] (got {o.CompactionThreshold}).");
        }

        return o;
    }

    private int CandidateCount(int k, int live) => (int)Math.Min(live, Math.Max((long)k * _options.RescoreFactor, k + 32L));

    /// <summary>Offers a block of scores to the heap; rows are visited in increasing order, so an equal score never displaces a kept row.</summary>
    private static void Admit(TopK heap, float* scores, int stride, int start, int n, Snapshot s, RetrievalFilter<TKey>? filter)
    {
        bool checkDeleted = s.Tombstones > 0;
        for (int i = 0; i < n; i++)
        {
            float score = scores[(long)i * stride];
            if (heap.IsFull && score <= heap.MinScore)
            {
                continue;
            }

            int row = start + i;
            if (checkDeleted && !s.IsVisible(row))
            {
                continue;
            }

            if (filter is not null && !filter.Accepts(s.Store.Keys[row]))
            {
                continue;
            }

            heap.Push(score, row);
        }
    }

    private RetrievalHit<TKey>[] Rescore(TopK candidates, int k, float* q, Snapshot s)
    {
        var exact = new TopK(k);
        var qs = new ReadOnlySpan<float>(q, Dimension);
        foreach ((float _, int row) in candidates.ToSortedArray())
        {
            exact.Push(TensorPrimitives.Dot(qs, new ReadOnlySpan<float>(s.Store.Row(row), Dimension)), row);
        }

        return ToHits(exact, s);
    }

    private static RetrievalHit<TKey>[] ToHits(TopK heap, Snapshot s)
    {
        (float Score, int Row)[] sorted = heap.ToSortedArray();
        var hits = new RetrievalHit<TKey>[sorted.Length];
        for (int i = 0; i < sorted.Length; i++)
        {
            hits[i] = new RetrievalHit<TKey>(s.Store.Keys[sorted[i].Row], Math.Clamp(sorted[i].Score, -1f, 1f));
        }

        return hits;
    }

    /// <summary>Writes <paramref name="vector"/> / ‖<paramref name="vector"/>‖ into <paramref name="destination"/>, rejecting bad input with a message that names the key.</summary>
    private void Normalize(ReadOnlySpan<float> vector, Span<float> destination, string paramName, object? key)
    {
        string what = key is null ? "Query" : $"Vector for key '{key}'";
        if (vector.Length != Dimension)
        {
            throw new ArgumentException($"{what} has dimension {vector.Length} but the index dimension is {Dimension}.", paramName);
        }

        double sumSquares = 0;
        for (int i = 0; i < vector.Length; i++)
        {
            float v = vector[i];
            if (!float.IsFinite(v))
            {
                throw new ArgumentException($"{what} has a non-finite value ({v}) at index {i}; vectors must be finite.", paramName);
            }

            sumSquares += (double)v * v;
        }

        if (sumSquares == 0)
        {
            throw new ArgumentException($"{what} is all zeros; a zero vector has no direction, so its cosine similarity is undefined.", paramName);
        }

        TensorPrimitives.Multiply(vector, (float)(1.0 / Math.Sqrt(sumSquares)), destination[..Dimension]);
    }

    private void ThrowIfDuplicate(TKey key)
    {
        if (_rows.ContainsKey(key))
        {
            throw new ArgumentException($"Key '{key}' is already in the index; keys must be unique (use Update to replace its vector).", nameof(key));
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private void Publish(RowStore<TKey> store, int count, int tombstones, int version)
    {
        _version = version;
        _snapshot = new Snapshot(store, count, version, tombstones);
    }

    /// <summary>Makes sure <paramref name="extra"/> rows can be appended in place (writer lock held).</summary>
    private void EnsureRoom(int extra)
    {
        Snapshot s = _snapshot;
        if (!s.Store.IsReadOnly && (long)s.Count + extra <= s.Store.Capacity)
        {
            return;
        }

        long need = (long)s.Live + extra;
        long capacity = Math.Max(need, s.Store.IsReadOnly ? need : 2L * s.Store.Capacity);
        if (capacity > Array.MaxLength / Dimension)
        {
            capacity = Math.Max(need, Array.MaxLength / Dimension);
            if (need > Array.MaxLength / Dimension)
            {
                throw new InvalidOperationException($"The index cannot hold {need} vectors of dimension {Dimension} (limit {Array.MaxLength / Dimension}).");
            }
        }

        Rebuild((int)capacity);
    }

    private void MaybeCompact()
    {
        Snapshot s = _snapshot;
        if (s.Tombstones >= 32 && s.Tombstones > _options.CompactionThreshold * s.Count)
        {
            Rebuild(Math.Max(s.Store.Capacity, 1));
        }
    }

    /// <summary>Copies the live rows, in order, into a new storage generation and publishes it (writer lock held).</summary>
    private void Rebuild(int capacity)
    {
        Snapshot s = _snapshot;
        s.Store.EnsureVerified();
        var store = new RowStore<TKey>(Dimension, capacity, _options.Storage);
        int n = 0;
        for (int row = 0; row < s.Count; row++)
        {
            if (s.IsVisible(row))
            {
                store.CopyRowFrom(s.Store, row, n);
                _rows[store.Keys[n]] = n;
                n++;
            }
        }

        Publish(store, n, 0, _version + 1);
    }

    /// <summary>An immutable view: rows [0, Count) of one storage generation, minus the rows removed at or before Version.</summary>
    internal sealed class Snapshot
    {
        public Snapshot(RowStore<TKey> store, int count, int version, int tombstones)
        {
            Store = store;
            Count = count;
            Version = version;
            Tombstones = tombstones;
        }

        public RowStore<TKey> Store { get; }

        public int Count { get; }

        public int Version { get; }

        public int Tombstones { get; }

        public int Live => Count - Tombstones;

        public bool IsVisible(int row) => Volatile.Read(ref Store.DeletedAt[row]) > Version;

        public List<TKey> LiveKeys()
        {
            var keys = new List<TKey>(Live);
            for (int i = 0; i < Count; i++)
            {
                if (IsVisible(i))
                {
                    keys.Add(Store.Keys[i]);
                }
            }

            return keys;
        }

        public IEnumerable<int> LiveRows()
        {
            for (int i = 0; i < Count; i++)
            {
                if (IsVisible(i))
                {
                    yield return i;
                }
            }
        }
    }
}
