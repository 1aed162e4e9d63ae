namespace EcgVision.Retrieval;

/// <summary>Restricts a search to the stored vectors whose key passes a test.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <remarks>
/// The filter is applied during the scan (pre-filtering), so a filtered search still returns the exact top-k of the
/// vectors that pass; it is evaluated only for rows whose score would enter the current top-k.
/// </remarks>
public sealed class RetrievalFilter<TKey>
    where TKey : notnull
{
    private readonly Func<TKey, bool> _accepts;

    private RetrievalFilter(Func<TKey, bool> accepts) => _accepts = accepts;

    /// <summary>Keeps keys for which <paramref name="predicate"/> returns <see langword="true"/>.</summary>
    /// <param name="predicate">The test; must be thread-safe when used from <c>SearchBatch(parallel: true)</c>.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is null.</exception>
    public static RetrievalFilter<TKey> Where(Func<TKey, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return new RetrievalFilter<TKey>(predicate);
    }

    /// <summary>Keeps only the given keys.</summary>
    /// <param name="keys">The allowed keys (copied).</param>
    /// <returns>The filter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keys"/> is null.</exception>
    public static RetrievalFilter<TKey> AllowOnly(IEnumerable<TKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var set = new HashSet<TKey>(keys);
        return new RetrievalFilter<TKey>(set.Contains);
    }

    /// <summary>Keeps every key except the given ones (e.g. the query case itself).</summary>
    /// <param name="keys">The excluded keys (copied).</param>
    /// <returns>The filter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keys"/> is null.</exception>
    public static RetrievalFilter<TKey> Exclude(IEnumerable<TKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var set = new HashSet<TKey>(keys);
        return new RetrievalFilter<TKey>(k => !set.Contains(k));
    }

    /// <summary>Whether <paramref name="key"/> passes the filter.</summary>
    /// <param name="key">A stored key.</param>
    /// <returns><see langword="true"/> if the key may be returned.</returns>
    public bool Accepts(TKey key) => _accepts(key);
}
