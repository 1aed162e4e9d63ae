namespace EcgVision.Torch.Tokenization;

/// <summary>A tokenizer that can write the files it needs to be recreated (vocabulary, settings) into a folder.</summary>
/// <remarks>
/// Checkpoints call <see cref="Save"/> with their own <c>tokenizer/</c> sub-folder; loading passes that folder to a
/// caller-supplied <c>Func&lt;string, IReportTokenizer&gt;</c>. Kept apart from <see cref="IReportTokenizer"/> so tokenizers
/// that cannot be persisted still work for training and embedding.
/// </remarks>
public interface IPersistableTokenizer
{
    /// <summary>Writes the tokenizer's files into <paramref name="directory"/> (which exists and is empty).</summary>
    /// <param name="directory">The destination folder.</param>
    void Save(string directory);
}
