using System.Text;

namespace EcgVision.Retrieval.Evaluation;

/// <summary>Mean text overlap between retrieved and true reports.</summary>
/// <param name="Bleu1">Mean sentence-level BLEU-1 (unigram precision × brevity penalty).</param>
/// <param name="Bleu4">Mean sentence-level BLEU-4 (geometric mean of 1- to 4-gram precisions × brevity penalty; 0 when any precision is 0).</param>
/// <param name="RougeL">Mean ROUGE-L F1 (longest common subsequence).</param>
/// <param name="Count">Number of report pairs.</param>
public sealed record ReportOverlapMetrics(double Bleu1, double Bleu4, double RougeL, int Count);

/// <summary>BLEU and ROUGE-L between a retrieved report (candidate) and the true report (reference), on lower-cased word tokens.</summary>
/// <remarks>
/// <para>Tokens: maximal runs of letters or digits, lower-cased (invariant culture); punctuation separates tokens.</para>
/// <para>BLEU (Papineni et al. 2002), one reference, no smoothing: p_n = clipped n-gram matches / candidate n-grams; BP = 1 when the candidate
/// is longer than the reference, else exp(1 − r/c); BLEU-N = BP · exp(Σ_{n≤N} ln(p_n) / N). An empty candidate scores 0.</para>
/// <para>ROUGE-L (Lin 2004): P = LCS/|candidate|, R = LCS/|reference|, F = 2PR/(P + R) (β = 1), 0 when the LCS is empty.</para>
/// </remarks>
public static class ReportOverlap
{
    /// <summary>Averages BLEU-1, BLEU-4 and ROUGE-L over report pairs.</summary>
    /// <param name="retrieved">Candidate reports (e.g. the report of each query's top-1 retrieved case).</param>
    /// <param name="truth">The true reports, paired by index.</param>
    /// <returns>The mean scores.</returns>
    /// <exception cref="ArgumentException">The lists differ in length or are empty.</exception>
    public static ReportOverlapMetrics Evaluate(IReadOnlyList<string> retrieved, IReadOnlyList<string> truth)
    {
        ArgumentNullException.ThrowIfNull(retrieved);
        ArgumentNullException.ThrowIfNull(truth);
        if (retrieved.Count != truth.Count || retrieved.Count == 0)
        {
            throw new ArgumentException($"retrieved ({retrieved.Count}) and truth ({truth.Count}) must pair up and be non-empty.", nameof(truth));
        }

        double b1 = 0, b4 = 0, rl = 0;
        for (int i = 0; i < retrieved.Count; i++)
        {
            string[] c = Tokenize(retrieved[i] ?? string.Empty);
            string[] r = Tokenize(truth[i] ?? string.Empty);
            b1 += Bleu(c, r, 1);
            b4 += Bleu(c, r, 4);
            rl += RougeL(c, r);
        }

        int n = retrieved.Count;
        return new ReportOverlapMetrics(b1 / n, b4 / n, rl / n, n);
    }

    /// <summary>Splits text into lower-cased letter/digit tokens.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The tokens in order.</returns>
    public static string[] Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        var sb = new StringBuilder();
        foreach (char ch in text)
        {
            if (char.IsLetterOrDigit(ch))
            {
                sb.Append(char.ToLowerInvariant(ch));
            }
            else if (sb.Length > 0)
            {
                tokens.Add(sb.ToString());
                sb.Clear();
            }
        }

        if (sb.Length > 0)
        {
            tokens.Add(sb.ToString());
        }

        return [.. tokens];
    }

    /// <summary>Sentence-level BLEU-N of tokenised text against one reference.</summary>
    /// <param name="candidate">Candidate tokens.</param>
    /// <param name="reference">Reference tokens.</param>
    /// <param name="maxOrder">N (1 for BLEU-1, 4 for BLEU-4); at least 1.</param>
    /// <returns>BLEU in [0, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxOrder"/> is less than 1.</exception>
    public static double Bleu(IReadOnlyList<string> candidate, IReadOnlyList<string> reference, int maxOrder = 4)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOrder, 1);
        int c = candidate.Count, r = reference.Count;
        if (c == 0)
        {
            return 0;
        }

        double logSum = 0;
        for (int n = 1; n <= maxOrder; n++)
        {
            Dictionary<string, int> cand = NGrams(candidate, n), refs = NGrams(reference, n);
            int total = Math.Max(c - n + 1, 0);
            int matched = cand.Sum(kv => Math.Min(kv.Value, refs.GetValueOrDefault(kv.Key)));
            if (matched == 0)
            {
                return 0;
            }

            logSum += Math.Log(matched / (double)total) / maxOrder;
        }

        double bp = c > r ? 1 : Math.Exp(1 - (r / (double)c));
        return bp * Math.Exp(logSum);
    }

    /// <summary>ROUGE-L F1 of tokenised text against one reference.</summary>
    /// <param name="candidate">Candidate tokens.</param>
    /// <param name="reference">Reference tokens.</param>
    /// <returns>ROUGE-L F1 in [0, 1].</returns>
    public static double RougeL(IReadOnlyList<string> candidate, IReadOnlyList<string> reference)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(reference);
        if (candidate.Count == 0 || reference.Count == 0)
        {
            return 0;
        }

        // Two-row dynamic programme for the longest common subsequence.
        var prev = new int[reference.Count + 1];
        var cur = new int[reference.Count + 1];
        for (int i = 1; i <= candidate.Count; i++)
        {
            for (int j = 1; j <= reference.Count; j++)
            {
                cur[j] = string.Equals(candidate[i - 1], reference[j - 1], StringComparison.Ordinal)
                    ? prev[j - 1] + 1
                    : Math.Max(prev[j], cur[j - 1]);
            }

            (prev, cur) = (cur, prev);
        }

        int lcs = prev[reference.Count];
        if (lcs == 0)
        {
            return 0;
        }

        double p = lcs / (double)candidate.Count, rc = lcs / (double)reference.Count;
        return 2 * p * rc / (p + rc);
    }

    private static Dictionary<string, int> NGrams(IReadOnlyList<string> tokens, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i + n <= tokens.Count; i++)
        {
            string key = n == 1 ? tokens[i] : string.Join('\u0001', Enumerable.Range(i, n).Select(j => tokens[j]));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return counts;
    }
}
