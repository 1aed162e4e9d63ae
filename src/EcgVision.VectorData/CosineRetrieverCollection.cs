using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using EcgVision.Retrieval;
using Microsoft.Extensions.VectorData;

namespace EcgVision.VectorData;

/// <summary>Exposes a <see cref="CosineRetriever{TKey}"/> (exact SIMD cosine search) as a Microsoft.Extensions.VectorData collection.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <remarks>
/// <para>Scores are cosine similarities (higher = more similar, [-1, 1]); <see cref="VectorSearchOptions{TRecord}.ScoreThreshold"/> drops hits
/// below the threshold. Filters (<see cref="VectorSearchOptions{TRecord}.Filter"/>, the filtered <c>GetAsync</c>) are compiled LINQ predicates
/// evaluated in process on the record without its vector; ordering (<see cref="FilteredRecordRetrievalOptions{TRecord}.OrderBy"/>) is not
/// supported. Search inputs may be <see cref="ReadOnlyMemory{T}"/> of float or <c>float[]</c>.</para>
/// <para>Thread safety follows the retriever: concurrent reads, writes serialised. The collection does not own the retriever; disposing the
/// collection leaves it open.</para>
/// </remarks>
public sealed class CosineRetrieverCollection<TKey> : VectorStoreCollection<TKey, EcgCaseRecord<TKey>>
    where TKey : notnull
{
    private readonly CosineRetriever<TKey> _retriever;
    private readonly ConcurrentDictionary<TKey, CaseMetadata> _metadata;
    private volatile bool _exists = true;

    /// <summary>Wraps a retriever.</summary>
    /// <param name="name">The collection name.</param>
    /// <param name="retriever">The index (not owned).</param>
    /// <param name="metadata">Initial metadata by key (e.g. from <see cref="CosineRetriever{TKey}.Load(string, out IReadOnlyDictionary{TKey, CaseMetadata}, bool)"/>); copied.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public CosineRetrieverCollection(string name, CosineRetriever<TKey> retriever, IReadOnlyDictionary<TKey, CaseMetadata>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(retriever);
        Name = name;
        _retriever = retriever;
        _metadata = new ConcurrentDictionary<TKey, CaseMetadata>(metadata ?? new Dictionary<TKey, CaseMetadata>());
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>The metadata currently held, by key (for <see cref="CosineRetriever{TKey}.Save"/>).</summary>
    public IReadOnlyDictionary<TKey, CaseMetadata> Metadata => _metadata;

    /// <inheritdoc/>
    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) => Task.FromResult(_exists);

    /// <inheritdoc/>
    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        _exists = true;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    /// <remarks>Removes every record; the collection can be used again after <see cref="EnsureCollectionExistsAsync"/>.</remarks>
    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default)
    {
        foreach (TKey key in _retriever.GetKeys())
        {
            _retriever.Remove(key);
        }

        _metadata.Clear();
        _exists = false;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override Task<EcgCaseRecord<TKey>?> GetAsync(TKey key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Task.FromResult(TryBuild(key, options?.IncludeVectors ?? false));
    }

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">An ordering was requested.</exception>
    public override async IAsyncEnumerable<EcgCaseRecord<TKey>> GetAsync(
        Expression<Func<EcgCaseRecord<TKey>, bool>> filter,
        int top,
        FilteredRecordRetrievalOptions<EcgCaseRecord<TKey>>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        if (options?.OrderBy is not null)
        {
            throw new NotSupportedException("OrderBy is not supported by CosineRetrieverCollection.");
        }

        Func<EcgCaseRecord<TKey>, bool> predicate = filter.Compile();
        int skip = options?.Skip ?? 0, returned = 0;
        foreach (TKey key in _retriever.GetKeys())
        {
            cancellationToken.ThrowIfCancellationRequested();
            EcgCaseRecord<TKey>? record = TryBuild(key, options?.IncludeVectors ?? false);
            if (record is null || !predicate(record))
            {
                continue;
            }

            if (skip > 0)
            {
                skip--;
                continue;
            }

            yield return record;
            if (++returned == top)
            {
                yield break;
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override Task DeleteAsync(TKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        _retriever.Remove(key);
        _metadata.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The record's embedding has the wrong dimension, a NaN/∞ value or zero norm.</exception>
    public override Task UpsertAsync(EcgCaseRecord<TKey> record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_retriever.Contains(record.Key))
        {
            _retriever.Update(record.Key, record.Embedding.Span);
        }
        else
        {
            _retriever.Add(record.Key, record.Embedding.Span);
        }

        _metadata[record.Key] = record.ToMetadata();
        _exists = true;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override async Task UpsertAsync(IEnumerable<EcgCaseRecord<TKey>> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (EcgCaseRecord<TKey> record in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await UpsertAsync(record, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException"><typeparamref name="TInput"/> is not a float vector.</exception>
    public override async IAsyncEnumerable<VectorSearchResult<EcgCaseRecord<TKey>>> SearchAsync<TInput>(
        TInput searchValue,
        int top,
        VectorSearchOptions<EcgCaseRecord<TKey>>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(searchValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        ReadOnlyMemory<float> query = searchValue switch
        {
            ReadOnlyMemory<float> m => m,
            float[] a => a,
            _ => throw new NotSupportedException($"Search input of type {typeof(TInput).Name} is not supported (use ReadOnlyMemory<float> or float[])."),
        };

        RetrievalFilter<TKey>? filter = null;
        if (options?.Filter is { } expression)
        {
            Func<EcgCaseRecord<TKey>, bool> predicate = expression.Compile();
            filter = RetrievalFilter<TKey>.Where(key => TryBuild(key, includeVector: false) is { } r && predicate(r));
        }

        int skip = options?.Skip ?? 0;
        IReadOnlyList<RetrievalHit<TKey>> hits = _retriever.Search(query.Span, top + skip, filter);
        foreach (RetrievalHit<TKey> hit in hits.Skip(skip))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (options?.ScoreThreshold is double threshold && hit.Score < threshold)
            {
                yield break; // hits are sorted, so every later one is below the threshold too
            }

            EcgCaseRecord<TKey>? record = TryBuild(hit.Key, options?.IncludeVectors ?? false);
            if (record is not null)
            {
                yield return new VectorSearchResult<EcgCaseRecord<TKey>>(record, hit.Score);
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(_retriever) ? _retriever
            : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    private EcgCaseRecord<TKey>? TryBuild(TKey key, bool includeVector)
    {
        float[]? vector = null;
        if (includeVector)
        {
            vector = new float[_retriever.Dimension];
            if (!_retriever.TryGetVector(key, vector))
            {
                return null;
            }
        }
        else if (!_retriever.Contains(key))
        {
            return null;
        }

        CaseMetadata m = _metadata.TryGetValue(key, out CaseMetadata? found) ? found : new CaseMetadata();
        return new EcgCaseRecord<TKey>
        {
            Key = key,
            Embedding = vector ?? ReadOnlyMemory<float>.Empty,
            Report = m.Report,
            Codes = m.Codes,
            Superclasses = m.Superclasses,
            Source = m.Source,
        };
    }
}
