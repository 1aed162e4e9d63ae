namespace EcgVision.Torch.Tokenization;

/// <summary>A tokenizer that can write its files (e.g. vocab.txt) into a model folder, so it can be recreated with the model.</summary>
/// <remarks>
/// Checkpoints call <see cref="Save"/> with their own <c>tokenizer/</c> sub-folder; loading passes that folder to a
/// caller-supplied <c>Func&lt;string, IReportTokenizer&gt;</c>. Kept apart from <see cref="IReportTokenizer"/> so tokenizers
/// that cannot be persisted still work for training and embedding.
/// </remarks>
public interface IPersistableTokenizer
{
    /// <summary>Writes the tokenizer's files into <paramref name="directory"/>.</summary>
    /// <param name="directory">The folder to write into; created if needed.</param>
    void Save(string directory);
}
