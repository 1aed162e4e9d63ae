using TorchSharp;
using static TorchSharp.torch;

namespace EcgVision.Torch.Clip;

/// <summary>Symmetric InfoNCE loss of CLIP, with samples that share a report counted as positives, not negatives.</summary>
/// <remarks>
/// Logits are <c>L = exp(s) · I·Tᵀ</c> for L2-normalised image rows <c>I</c> and text rows <c>T</c>. The target of row <c>i</c>
/// spreads probability uniformly over every <c>j</c> with <c>group[j] = group[i]</c> (for distinct groups this is the identity, i.e.
/// plain CLIP). The loss is <c>½ (CE(L, Y) + CE(Lᵀ, Y))</c> with soft-target cross entropy, averaged over the batch.
/// </remarks>
public static class ClipLoss
{
    /// <summary>Computes the loss.</summary>
    /// <param name="imageFeatures">L2-normalised <c>[N, D]</c>.</param>
    /// <param name="textFeatures">L2-normalised <c>[N, D]</c>, row <c>i</c> paired with image row <c>i</c>.</param>
    /// <param name="logitScale">Log temperature (scalar tensor); exponentiated here.</param>
    /// <param name="groups">Optional int64 <c>[N]</c> group ids (equal id = same report); null means all pairs are distinct.</param>
    /// <returns>A new scalar tensor owned by the caller.</returns>
    /// <exception cref="ArgumentException">The shapes do not agree.</exception>
    public static Tensor Compute(Tensor imageFeatures, Tensor textFeatures, Tensor logitScale, Tensor? groups = null)
    {
        ArgumentNullException.ThrowIfNull(imageFeatures);
        ArgumentNullException.ThrowIfNull(textFeatures);
        ArgumentNullException.ThrowIfNull(logitScale);
        if (imageFeatures.dim() != 2 || !imageFeatures.shape.SequenceEqual(textFeatures.shape))
        {
            throw new ArgumentException(
                $"Expected image and text features of the same shape [N, D] but got [{string.Join(", ", imageFeatures.shape)}] and [{string.Join(", ", textFeatures.shape)}].",
                nameof(textFeatures));
        }

        long n = imageFeatures.shape[0];
        if (groups is not null && (groups.dim() != 1 || groups.shape[0] != n))
        {
            throw new ArgumentException($"Expected groups [{n}] but got [{string.Join(", ", groups.shape)}].", nameof(groups));
        }

        using var scope = NewDisposeScope();
        var logits = logitScale.exp() * imageFeatures.matmul(textFeatures.t());
        var targets = Targets(n, groups, imageFeatures.device);
        var imageToText = -(targets * logits.log_softmax(1)).sum(1).mean();
        var textToImage = -(targets * logits.t().log_softmax(1)).sum(1).mean();
        return ((imageToText + textToImage) / 2).MoveToOuterDisposeScope();
    }

    /// <summary>The soft target matrix: row <c>i</c> is uniform over the samples of <c>i</c>'s group.</summary>
    /// <param name="n">Batch size.</param>
    /// <param name="groups">Group ids <c>[n]</c>, or null for the identity.</param>
    /// <param name="device">Where to build it.</param>
    /// <returns>A new <c>[n, n]</c> float32 tensor (symmetric, rows sum to 1).</returns>
    public static Tensor Targets(long n, Tensor? groups, Device device)
    {
        if (groups is null)
        {
            return eye(n, dtype: ScalarType.Float32, device: device);
        }

        using var scope = NewDisposeScope();
        var same = groups.to(device).unsqueeze(1).eq(groups.to(device).unsqueeze(0)).to(ScalarType.Float32);
        return (same / same.sum(1, keepdim: true)).MoveToOuterDisposeScope();
    }
}
