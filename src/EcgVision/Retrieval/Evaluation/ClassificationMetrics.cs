using EcgVision.Retrieval.Internal;

namespace EcgVision.Retrieval.Evaluation;

/// <summary>Macro-averaged AUROC over classes.</summary>
/// <param name="Macro">Unweighted mean of the defined per-class AUROCs (NaN when none is defined).</param>
/// <param name="PerClass">AUROC of each class; NaN for a class with no positive or no negative sample.</param>
/// <param name="ClassesUsed">Number of classes with a defined AUROC (those averaged).</param>
public sealed record MacroAurocMetrics(double Macro, IReadOnlyList<double> PerClass, int ClassesUsed);

/// <summary>Zero-shot classification metrics (pure functions over score matrices).</summary>
/// <remarks>
/// AUROC is computed from ranks (Mann–Whitney U): AUROC = (Σ ranks of positives − P(P+1)/2) / (P·N), with tied scores given their
/// average rank, which equals the trapezoidal ROC area of scikit-learn's <c>roc_auc_score</c> (a tied positive/negative pair counts ½).
/// scikit-learn raises for a class with only one label value; here such a class gets NaN and is left out of the macro mean.
/// </remarks>
public static class ClassificationMetrics
{
    /// <summary>Area under the ROC curve of one binary problem.</summary>
    /// <param name="scores">Scores; higher means more likely positive. Must be finite.</param>
    /// <param name="labels">True labels, paired with <paramref name="scores"/>.</param>
    /// <returns>AUROC in [0, 1], or NaN when there are no positives or no negatives.</returns>
    /// <exception cref="ArgumentException">The spans differ in length, or a score is NaN or infinite.</exception>
    public static double Auroc(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        if (scores.Length != labels.Length)
        {
            throw new ArgumentException($"scores ({scores.Length}) and labels ({labels.Length}) must have the same length.", nameof(labels));
        }

        int n = scores.Length;
        var order = new int[n];
        var values = new float[n];
        for (int i = 0; i < n; i++)
        {
            if (!float.IsFinite(scores[i]))
            {
                throw new ArgumentException($"Score {i} is {scores[i]}; scores must be finite.", nameof(scores));
            }

            order[i] = i;
            values[i] = scores[i];
        }

        Array.Sort(values, order);
        long positives = 0;
        double rankSum = 0;
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && values[j + 1] == values[i])
            {
                j++;
            }

            double midrank = ((i + j) / 2.0) + 1; // 1-based average rank of the tie group
            for (int t = i; t <= j; t++)
            {
                if (labels[order[t]])
                {
                    positives++;
                    rankSum += midrank;
                }
            }

            i = j + 1;
        }

        long negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        return (rankSum - (positives * (positives + 1) / 2.0)) / (positives * (double)negatives);
    }

    /// <summary>Macro AUROC of a multi-label score matrix.</summary>
    /// <param name="scores">Row-major <c>[samples, classes]</c> scores (e.g. from <see cref="ZeroShotScores"/>).</param>
    /// <param name="labels">Row-major <c>[samples, classes]</c> true labels.</param>
    /// <param name="classCount">Number of classes; at least 1.</param>
    /// <returns>Per-class and macro AUROC.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The spans differ in length or are not a multiple of <paramref name="classCount"/>.</exception>
    public static MacroAurocMetrics MacroAuroc(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (scores.Length != labels.Length || scores.Length % classCount != 0)
        {
            throw new ArgumentException(
                $"scores ({scores.Length}) and labels ({labels.Length}) must both be [samples, {classCount}].", nameof(labels));
        }

        int n = scores.Length / classCount;
        var s = new float[n];
        var l = new bool[n];
        var perClass = new double[classCount];
        double sum = 0;
        int used = 0;
        for (int c = 0; c < classCount; c++)
        {
            for (int i = 0; i < n; i++)
            {
                s[i] = scores[(i * classCount) + c];
                l[i] = labels[(i * classCount) + c];
            }

            perClass[c] = Auroc(s, l);
            if (!double.IsNaN(perClass[c]))
            {
                sum += perClass[c];
                used++;
            }
        }

        return new MacroAurocMetrics(used == 0 ? double.NaN : sum / used, perClass, used);
    }

    /// <summary>Zero-shot class scores: cosine similarity of each sample embedding to each class (prompt) embedding.</summary>
    /// <param name="embeddings">Row-major <c>[samples, dimension]</c> signal embeddings.</param>
    /// <param name="classEmbeddings">Row-major <c>[classes, dimension]</c> text embeddings of the class prompts.</param>
    /// <param name="dimension">Embedding length.</param>
    /// <returns>Row-major <c>[samples, classes]</c> cosine similarities in [-1, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">A span is empty or not a multiple of <paramref name="dimension"/>, or holds a zero or non-finite vector.</exception>
    public static float[] ZeroShotScores(ReadOnlySpan<float> embeddings, ReadOnlySpan<float> classEmbeddings, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (embeddings.Length % dimension != 0 || classEmbeddings.Length % dimension != 0 || classEmbeddings.Length == 0)
        {
            throw new ArgumentException(
                $"embeddings ({embeddings.Length}) and classEmbeddings ({classEmbeddings.Length}) must be non-empty multiples of the dimension ({dimension}).",
                nameof(classEmbeddings));
        }

        int n = embeddings.Length / dimension, c = classEmbeddings.Length / dimension;
        float[] classes = NormalizeRows(classEmbeddings, dimension, nameof(classEmbeddings));
        float[] samples = NormalizeRows(embeddings, dimension, nameof(embeddings));
        var result = new float[n * c];
        for (int i = 0; i < n; i++)
        {
            DotKernels.DotRows(samples.AsSpan(i * dimension, dimension), classes, dimension, result.AsSpan(i * c, c));
        }

        return result;
    }

    private static float[] NormalizeRows(ReadOnlySpan<float> x, int dimension, string paramName)
    {
        var result = new float[x.Length];
        for (int i = 0; i < x.Length / dimension; i++)
        {
            ReadOnlySpan<float> row = x.Slice(i * dimension, dimension);
            float norm = System.Numerics.Tensors.TensorPrimitives.Norm(row);
            if (!(norm > 0) || !float.IsFinite(norm))
            {
                throw new ArgumentException($"Row {i} has norm {norm}; rows must be finite and non-zero.", paramName);
            }

            System.Numerics.Tensors.TensorPrimitives.Divide(row, norm, result.AsSpan(i * dimension, dimension));
        }

        return result;
    }
}
