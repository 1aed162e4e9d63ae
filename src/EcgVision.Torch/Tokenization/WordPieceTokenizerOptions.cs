namespace EcgVision.Torch.Tokenization;

/// <summary>Text normalisation and WordPiece settings of a <see cref="WordPieceReportTokenizer"/>.</summary>
/// <remarks>They must match the settings the vocabulary was trained with (see <see cref="WordPieceTrainerOptions"/>).</remarks>
public sealed record WordPieceTokenizerOptions
{
    /// <summary>Lower-case the text before splitting (BERT "uncased"). Default <see langword="true"/>.</summary>
    public bool Lowercase { get; init; } = true;

    /// <summary>Remove diacritics (ä → a, é → e; ß is kept), as BERT-uncased does. Default <see langword="true"/>.</summary>
    public bool StripAccents { get; init; } = true;

    /// <summary>Words longer than this many characters become one <c>[UNK]</c>. Default 100, as in BERT.</summary>
    public int MaxInputCharsPerWord { get; init; } = 100;

    /// <summary>Prefix that marks a piece continuing a word. Default <c>"##"</c>.</summary>
    public string ContinuingSubwordPrefix { get; init; } = "##";
}
