namespace EcgVision.Retrieval;

/// <summary>One retrieved past case as input to <see cref="ReportDrafter"/>.</summary>
/// <param name="Score">Cosine similarity of the case to the query (from <see cref="RetrievalHit{TKey}.Score"/>).</param>
/// <param name="Codes">Diagnostic statement codes of the case.</param>
/// <param name="Report">The case's report text, if any.</param>
public readonly record struct DraftNeighbour(float Score, IReadOnlyCollection<string> Codes, string? Report);

/// <summary>One diagnostic statement of a draft.</summary>
/// <param name="Code">The statement code (as first seen among the neighbours).</param>
/// <param name="Text">Human-readable statement: the code's description when one was given, else the code.</param>
/// <param name="Confidence">Similarity-weighted share of the neighbours that carry the code, in [0, 1].</param>
/// <param name="Support">How many neighbours carry the code.</param>
public sealed record DraftStatement(string Code, string Text, double Confidence, int Support);

/// <summary>A draft report assembled from similar past cases; decision support only.</summary>
/// <param name="Statements">Statements ranked by confidence (highest first).</param>
/// <param name="ClosestReport">The report of the most similar neighbour that has one, verbatim; null if none has.</param>
/// <param name="ClosestScore">The similarity of that neighbour (NaN when <paramref name="ClosestReport"/> is null).</param>
/// <param name="Disclaimer">Always <see cref="ReportDrafter.Disclaimer"/>.</param>
public sealed record DraftReport(IReadOnlyList<DraftStatement> Statements, string? ClosestReport, float ClosestScore, string Disclaimer)
{
    /// <summary>Renders the draft as plain text: the statements with confidences, the closest report, then the disclaimer.</summary>
    /// <returns>Multi-line text.</returns>
    public override string ToString()
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine("Suggested statements:");
        foreach (DraftStatement s in Statements)
        {
            sb.AppendLine(System.FormattableString.Invariant($"  - {s.Text} ({s.Code}): confidence {s.Confidence:P0}, {s.Support} similar case(s)"));
        }

        if (ClosestReport is not null)
        {
            sb.AppendLine(System.FormattableString.Invariant($"Closest past report (similarity {ClosestScore:F3}):"));
            sb.AppendLine("  " + ClosestReport);
        }

        sb.Append(Disclaimer);
        return sb.ToString();
    }
}

/// <summary>Options of <see cref="ReportDrafter"/>; validated by its constructor.</summary>
public sealed record ReportDrafterOptions
{
    /// <summary>At most this many statements are drafted. Default 5; at least 1.</summary>
    public int MaxStatements { get; init; } = 5;

    /// <summary>Statements below this confidence are dropped. Default 0.25; in [0, 1].</summary>
    public double MinConfidence { get; init; } = 0.25;

    /// <summary>Optional code → description map (e.g. PTB-XL's scp_statements.csv) used for <see cref="DraftStatement.Text"/>.</summary>
    public IReadOnlyDictionary<string, string>? CodeDescriptions { get; init; }
}

/// <summary>Drafts a report from retrieved similar cases: statements ranked by similarity-weighted votes plus the closest past report.</summary>
/// <remarks>
/// Each neighbour i votes for each of its (distinct, case-insensitive) codes with weight wᵢ = max(scoreᵢ, 0); a code's confidence is
/// Σ wᵢ over the neighbours that carry it divided by Σ wᵢ over all neighbours. When every weight is 0 (no neighbour is positively similar),
/// each neighbour gets weight 1. Ties in confidence go to the code seen first in the most similar neighbour, then ordinal order.
/// The output always carries <see cref="Disclaimer"/>: this is decision support, not a diagnosis.
/// </remarks>
public sealed class ReportDrafter
{
    /// <summary>The fixed disclaimer attached to every draft.</summary>
    public const string Disclaimer = "Decision support only: draft generated from similar past cases; must be reviewed by a qualified clinician.";

    private readonly ReportDrafterOptions _options;

    /// <summary>Creates a drafter.</summary>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public ReportDrafter(ReportDrafterOptions? options = null)
    {
        _options = options ?? new ReportDrafterOptions();
        if (_options.MaxStatements < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.MaxStatements, $"MaxStatements must be at least 1 (got {_options.MaxStatements}).");
        }

        if (!(_options.MinConfidence >= 0 && _options.MinConfidence <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.MinConfidence, $"MinConfidence must be in [0, 1] (got {_options.MinConfidence}).");
        }
    }

    /// <summary>Drafts a report from neighbours (any order; they are ranked by score here).</summary>
    /// <param name="neighbours">The retrieved cases; at least one.</param>
    /// <returns>The draft.</returns>
    /// <exception cref="ArgumentException"><paramref name="neighbours"/> is empty or holds a NaN score.</exception>
    public DraftReport Draft(IReadOnlyList<DraftNeighbour> neighbours)
    {
        ArgumentNullException.ThrowIfNull(neighbours);
        if (neighbours.Count == 0)
        {
            throw new ArgumentException("At least one neighbour is needed to draft a report.", nameof(neighbours));
        }

        for (int i = 0; i < neighbours.Count; i++)
        {
            if (float.IsNaN(neighbours[i].Score))
            {
                throw new ArgumentException($"Neighbour {i} has a NaN score.", nameof(neighbours));
            }
        }

        // Stable ordering by descending similarity (ties keep the given order).
        DraftNeighbour[] ranked = neighbours.Select((n, i) => (n, i)).OrderByDescending(x => x.n.Score).ThenBy(x => x.i).Select(x => x.n).ToArray();
        double[] weights = ranked.Select(n => Math.Max((double)n.Score, 0)).ToArray();
        if (weights.Sum() == 0)
        {
            Array.Fill(weights, 1.0);
        }

        double total = weights.Sum();
        var votes = new Dictionary<string, (string Code, double Weight, int Support, int FirstSeen)>(StringComparer.OrdinalIgnoreCase);
        int order = 0;
        for (int i = 0; i < ranked.Length; i++)
        {
            foreach (string code in (ranked[i].Codes ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                votes[code] = votes.TryGetValue(code, out var v)
                    ? (v.Code, v.Weight + weights[i], v.Support + 1, v.FirstSeen)
                    : (code.Trim(), weights[i], 1, order++);
            }
        }

        DraftStatement[] statements = votes.Values
            .Select(v => (v, Confidence: v.Weight / total))
            .Where(x => x.Confidence >= _options.MinConfidence)
            .OrderByDescending(x => x.Confidence).ThenBy(x => x.v.FirstSeen)
            .Take(_options.MaxStatements)
            .Select(x => new DraftStatement(x.v.Code, _options.CodeDescriptions?.GetValueOrDefault(x.v.Code) ?? x.v.Code, Math.Min(x.Confidence, 1), x.v.Support))
            .ToArray();

        DraftNeighbour? closest = ranked.Where(n => !string.IsNullOrWhiteSpace(n.Report)).Select(n => (DraftNeighbour?)n).FirstOrDefault();
        return new DraftReport(statements, closest?.Report, closest?.Score ?? float.NaN, Disclaimer);
    }

    /// <summary>Drafts a report from search hits and the case metadata saved with the index.</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <param name="hits">Hits from <see cref="CosineRetriever{TKey}.Search"/>.</param>
    /// <param name="metadata">Metadata by key; hits without metadata vote for nothing and have no report.</param>
    /// <returns>The draft.</returns>
    /// <exception cref="ArgumentException"><paramref name="hits"/> is empty.</exception>
    public DraftReport Draft<TKey>(IReadOnlyList<RetrievalHit<TKey>> hits, IReadOnlyDictionary<TKey, CaseMetadata> metadata)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(hits);
        ArgumentNullException.ThrowIfNull(metadata);
        return Draft(hits.Select(h => metadata.TryGetValue(h.Key, out CaseMetadata? m)
            ? new DraftNeighbour(h.Score, m.Codes, m.Report)
            : new DraftNeighbour(h.Score, [], null)).ToArray());
    }
}
