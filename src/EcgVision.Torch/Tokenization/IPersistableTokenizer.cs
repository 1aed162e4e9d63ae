namespace EcgVision.Torch.Tokenization;

/// <summary>A tokenizer that can write its files (e.g. vocab.txt) into a model folder.</summary>
public interface IPersistableTokenizer
{
    /// <summary>Writes the tokenizer's files into <paramref name="directory"/>.</summary>
    /// <param name="directory">The folder to write into; created if needed.</param>
    void Save(string directory);
}
