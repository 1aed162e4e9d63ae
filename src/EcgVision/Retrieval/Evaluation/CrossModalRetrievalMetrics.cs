using EcgVision.Retrieval.Internal;

namespace EcgVision.Retrieval.Evaluation;

/// <summary>Retrieval quality in one direction (e.g. image→text), named as in open_clip's <c>get_clip_metrics</c>.</summary>
/// <param name="RecallAt1">Fraction of queries whose true partner is ranked first (<c>R@1</c>).</param>
/// <param name="RecallAt5">Fraction ranked in the top 5 (<c>R@5</c>).</param>
/// <param name="RecallAt10">Fraction ranked in the top 10 (<c>R@10</c>).</param>
/// <param name="MeanRank">Mean 1-based rank of the true partner (<c>mean_rank</c>).</param>
/// <param name="MedianRank">floor(median of 0-based ranks) + 1 (<c>median_rank</c>, exactly as open_clip computes it).</param>
public sealed record DirectionalRetrievalMetrics(double RecallAt1, double RecallAt5, double RecallAt10, double MeanRank, double MedianRank);

/// <summary>Image→text and text→image retrieval metrics of paired embeddings.</summary>
/// <param name="ImageToText">Each image (signal) queries all texts; its own report is the target.</param>
/// <param name="TextToImage">Each text queries all images.</param>
public sealed record CrossModalRetrievalMetrics(DirectionalRetrievalMetrics ImageToText, DirectionalRetrievalMetrics TextToImage)
{
    /// <summary>The metrics under open_clip's keys (<c>image_to_text_R@1</c>, <c>text_to_image_mean_rank</c>, …).</summary>
    /// <returns>A new dictionary with ten entries.</returns>
    public IReadOnlyDictionary<string, double> ToOpenClipDictionary()
    {
        var d = new Dictionary<string, double>();
        Add("image_to_text", ImageToText);
        Add("text_to_image", TextToImage);
        return d;

        void Add(string name, DirectionalRetrievalMetrics m)
        {
            d[$"{name}_mean_rank"] = m.MeanRank;
            d[$"{name}_median_rank"] = m.MedianRank;
            d[$"{name}_R@1"] = m.RecallAt1;
            d[$"{name}_R@5"] = m.RecallAt5;
            d[$"{name}_R@10"] = m.RecallAt10;
        }
    }
}

/// <summary>open_clip-compatible cross-modal retrieval metrics over paired embeddings (pure functions; no TorchSharp needed).</summary>
/// <remarks>
/// Mirrors open_clip's <c>get_clip_metrics</c>: logits = image · textᵀ (the logit scale does not change ranks, so it is omitted);
/// the rank of pair i is its position in row i sorted by descending logit. Ties are broken by index (lower index first, a stable sort),
/// where torch's <c>argsort</c> leaves them unspecified.
/// </remarks>
public static class CrossModalRetrieval
{
    /// <summary>Computes both directions from paired features (row i of each is one case).</summary>
    /// <param name="imageFeatures">Row-major <c>[n, dimension]</c> image/signal embeddings (normalise them first for cosine logits, as open_clip does).</param>
    /// <param name="textFeatures">Row-major <c>[n, dimension]</c> text embeddings, paired row by row.</param>
    /// <param name="dimension">Embedding length.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The spans differ in length, are empty, or are not a multiple of <paramref name="dimension"/>.</exception>
    public static CrossModalRetrievalMetrics Compute(ReadOnlySpan<float> imageFeatures, ReadOnlySpan<float> textFeatures, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (imageFeatures.Length != textFeatures.Length || imageFeatures.Length == 0 || imageFeatures.Length % dimension != 0)
        {
            throw new ArgumentException(
                $"Image and text features must both be [n, {dimension}] with n ≥ 1 (got {imageFeatures.Length} and {textFeatures.Length} values).",
                nameof(textFeatures));
        }

        int n = imageFeatures.Length / dimension;
        var scores = new float[n];
        var i2t = new int[n];
        var t2i = new int[n];
        for (int i = 0; i < n; i++)
        {
            DotKernels.DotRows(imageFeatures.Slice(i * dimension, dimension), textFeatures, dimension, scores);
            i2t[i] = RankOfTarget(scores, i);
            DotKernels.DotRows(textFeatures.Slice(i * dimension, dimension), imageFeatures, dimension, scores);
            t2i[i] = RankOfTarget(scores, i);
        }

        return new CrossModalRetrievalMetrics(Summarize(i2t), Summarize(t2i));
    }

    /// <summary>Computes both directions from a square logit matrix (<c>logits_per_image</c>; its transpose is <c>logits_per_text</c>).</summary>
    /// <param name="logitsPerImage">Row-major <c>[n, n]</c>; entry (i, j) scores image i against text j.</param>
    /// <param name="n">Number of pairs.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">The span is not <c>n × n</c> long or <paramref name="n"/> is less than 1.</exception>
    public static CrossModalRetrievalMetrics ComputeFromLogits(ReadOnlySpan<float> logitsPerImage, int n)
    {
        if (n < 1 || logitsPerImage.Length != (long)n * n)
        {
            throw new ArgumentException($"Logits must be [n, n] = [{n}, {n}] with n ≥ 1 (got {logitsPerImage.Length} values).", nameof(logitsPerImage));
        }

        var column = new float[n];
        var i2t = new int[n];
        var t2i = new int[n];
        for (int i = 0; i < n; i++)
        {
            i2t[i] = RankOfTarget(logitsPerImage.Slice(i * n, n), i);
            for (int j = 0; j < n; j++)
            {
                column[j] = logitsPerImage[(j * n) + i];
            }

            t2i[i] = RankOfTarget(column, i);
        }

        return new CrossModalRetrievalMetrics(Summarize(i2t), Summarize(t2i));
    }

    /// <summary>0-based rank of <paramref name="target"/> when <paramref name="scores"/> are sorted descending, ties broken by lower index first.</summary>
    /// <param name="scores">One query's scores against all candidates.</param>
    /// <param name="target">Index of the correct candidate.</param>
    /// <returns>The number of candidates ranked before the target.</returns>
    public static int RankOfTarget(ReadOnlySpan<float> scores, int target)
    {
        float t = scores[target];
        int rank = 0;
        for (int j = 0; j < scores.Length; j++)
        {
            float s = scores[j];
            if (s > t || (s == t && j < target))
            {
                rank++;
            }
        }

        return rank;
    }

    /// <summary>Summarises 0-based ranks the way open_clip does.</summary>
    /// <param name="ranks">0-based rank of each query's target.</param>
    /// <returns>R@1/5/10, mean rank (+1) and floor(median) + 1.</returns>
    /// <exception cref="ArgumentException"><paramref name="ranks"/> is empty.</exception>
    public static DirectionalRetrievalMetrics Summarize(IReadOnlyList<int> ranks)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        if (ranks.Count == 0)
        {
            throw new ArgumentException("At least one rank is required.", nameof(ranks));
        }

        int[] sorted = ranks.Order().ToArray();
        int n = sorted.Length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2.0;
        return new DirectionalRetrievalMetrics(
            RecallAt1: sorted.Count(r => r < 1) / (double)n,
            RecallAt5: sorted.Count(r => r < 5) / (double)n,
            RecallAt10: sorted.Count(r => r < 10) / (double)n,
            MeanRank: sorted.Average() + 1,
            MedianRank: Math.Floor(median) + 1);
    }
}
