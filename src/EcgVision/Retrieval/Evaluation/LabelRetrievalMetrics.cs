namespace EcgVision.Retrieval.Evaluation;

/// <summary>When a retrieved case counts as relevant to the query case.</summary>
public enum LabelMatch
{
    /// <summary>The two cases share at least one label (e.g. a diagnostic superclass such as <c>MI</c>).</summary>
    SharedLabel = 0,

    /// <summary>The two cases have exactly the same label set (e.g. the same set of SCP codes).</summary>
    ExactSet = 1,
}

/// <summary>Label-aware retrieval quality: precision@K and mean average precision@K.</summary>
/// <param name="PrecisionAtK">Mean over queries of (relevant cases in the top K) / K.</param>
/// <param name="MeanAveragePrecisionAtK">Mean over queries of AP@K (see <see cref="LabelRetrieval"/>).</param>
/// <param name="K">The cut-off.</param>
/// <param name="QueryCount">Number of queries averaged.</param>
public sealed record LabelRetrievalMetrics(double PrecisionAtK, double MeanAveragePrecisionAtK, int K, int QueryCount);

/// <summary>Precision@K and mAP@K of label-aware case retrieval (pure functions).</summary>
/// <remarks>
/// <para>rel_i = 1 when the i-th retrieved case is relevant (<see cref="LabelMatch"/>). P@K = Σ_{i≤K} rel_i / K (a list shorter than K
/// counts the missing places as not relevant). AP@K = Σ_{i≤K} P@i · rel_i / (Σ_{i≤K} rel_i), and 0 when nothing relevant is retrieved;
/// this normalises by the relevant cases retrieved, as is usual when the total number of relevant cases in the archive is not used.</para>
/// <para>Labels compare ordinally (case-sensitive). Queries with no labels are skipped by <see cref="Compute"/>.</para>
/// </remarks>
public static class LabelRetrieval
{
    /// <summary>Computes P@K and mAP@K.</summary>
    /// <param name="queryLabels">Labels of each query case.</param>
    /// <param name="retrievedLabels">For each query, the labels of its retrieved cases, best first (the query itself excluded).</param>
    /// <param name="k">The cut-off; at least 1.</param>
    /// <param name="match">Relevance rule.</param>
    /// <returns>The metrics averaged over queries that have at least one label.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The two lists differ in length, or no query has a label.</exception>
    public static LabelRetrievalMetrics Compute(
        IReadOnlyList<IReadOnlyCollection<string>> queryLabels,
        IReadOnlyList<IReadOnlyList<IReadOnlyCollection<string>>> retrievedLabels,
        int k,
        LabelMatch match = LabelMatch.SharedLabel)
    {
        ArgumentNullException.ThrowIfNull(queryLabels);
        ArgumentNullException.ThrowIfNull(retrievedLabels);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (queryLabels.Count != retrievedLabels.Count)
        {
            throw new ArgumentException($"queryLabels has {queryLabels.Count} entries but retrievedLabels has {retrievedLabels.Count}; they must pair up.", nameof(retrievedLabels));
        }

        double precision = 0, ap = 0;
        int used = 0;
        for (int q = 0; q < queryLabels.Count; q++)
        {
            if (queryLabels[q].Count == 0)
            {
                continue;
            }

            (double p, double a) = Score(queryLabels[q], retrievedLabels[q], k, match);
            precision += p;
            ap += a;
            used++;
        }

        if (used == 0)
        {
            throw new ArgumentException("No query has a label, so precision is undefined.", nameof(queryLabels));
        }

        return new LabelRetrievalMetrics(precision / used, ap / used, k, used);
    }

    /// <summary>P@K and AP@K of one query.</summary>
    /// <param name="query">The query's labels.</param>
    /// <param name="retrieved">Labels of the retrieved cases, best first.</param>
    /// <param name="k">The cut-off; at least 1.</param>
    /// <param name="match">Relevance rule.</param>
    /// <returns>(P@K, AP@K).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    public static (double PrecisionAtK, double AveragePrecisionAtK) Score(
        IReadOnlyCollection<string> query, IReadOnlyList<IReadOnlyCollection<string>> retrieved, int k, LabelMatch match = LabelMatch.SharedLabel)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(retrieved);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var q = new HashSet<string>(query, StringComparer.Ordinal);
        int hits = 0;
        double sum = 0;
        int n = Math.Min(k, retrieved.Count);
        for (int i = 0; i < n; i++)
        {
            if (IsRelevant(q, retrieved[i], match))
            {
                hits++;
                sum += hits / (double)(i + 1);
            }
        }

        return (hits / (double)k, hits == 0 ? 0 : sum / hits);
    }

    /// <summary>Whether a retrieved case is relevant to a query under <paramref name="match"/>.</summary>
    /// <param name="query">The query's labels.</param>
    /// <param name="candidate">The retrieved case's labels.</param>
    /// <param name="match">Relevance rule.</param>
    /// <returns><see langword="true"/> if relevant.</returns>
    /// <exception cref="NotSupportedException"><paramref name="match"/> is not a defined value.</exception>
    public static bool IsRelevant(IReadOnlySet<string> query, IReadOnlyCollection<string> candidate, LabelMatch match) => match switch
    {
        LabelMatch.SharedLabel => candidate.Any(query.Contains),
        LabelMatch.ExactSet => query.Count > 0 && query.SetEquals(candidate),
        _ => throw new NotSupportedException($"LabelMatch {match} is not supported."),
    };
}
