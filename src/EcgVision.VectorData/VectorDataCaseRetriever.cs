using EcgVision.Retrieval;
using Microsoft.Extensions.VectorData;

namespace EcgVision.VectorData;

/// <summary>The reverse adapter: searches any Microsoft.Extensions.VectorData collection and returns EcgVision <see cref="RetrievalHit{TKey}"/>s.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TRecord">The collection's record type.</typeparam>
/// <remarks>
/// Use it to run EcgVision's evaluation and report drafting against a case archive that lives in a vector database. The score is whatever
/// the store reports (convert it with <paramref name="scoreToSimilarity"/> when the store returns a distance).
/// </remarks>
/// <param name="collection">The collection (not owned).</param>
/// <param name="keySelector">Reads a record's key.</param>
/// <param name="scoreToSimilarity">Maps the store's score to a similarity where higher is better; identity when null.</param>
public sealed class VectorDataCaseRetriever<TKey, TRecord>(
    VectorStoreCollection<TKey, TRecord> collection,
    Func<TRecord, TKey> keySelector,
    Func<double, float>? scoreToSimilarity = null)
    where TKey : notnull
    where TRecord : class
{
    private readonly VectorStoreCollection<TKey, TRecord> _collection = collection ?? throw new ArgumentNullException(nameof(collection));
    private readonly Func<TRecord, TKey> _keySelector = keySelector ?? throw new ArgumentNullException(nameof(keySelector));

    /// <summary>Returns the <paramref name="top"/> records most similar to <paramref name="query"/> as hits, best first.</summary>
    /// <param name="query">The query embedding.</param>
    /// <param name="top">How many hits; at least 1.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>Hits in the order the store returned them.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">The store returned a result without a score.</exception>
    public async Task<IReadOnlyList<RetrievalHit<TKey>>> SearchAsync(ReadOnlyMemory<float> query, int top, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var hits = new List<RetrievalHit<TKey>>(top);
        await foreach (VectorSearchResult<TRecord> result in _collection.SearchAsync(query, top, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            double score = result.Score ?? throw new InvalidOperationException($"Collection '{_collection.Name}' returned a result without a score.");
            hits.Add(new RetrievalHit<TKey>(_keySelector(result.Record), scoreToSimilarity?.Invoke(score) ?? (float)score));
        }

        return hits;
    }
}
