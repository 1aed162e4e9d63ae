namespace EcgVision.Torch.Tokenization;

/// <summary>Settings of <see cref="WordPieceVocabularyTrainer"/>.</summary>
public sealed record WordPieceTrainerOptions
{
    /// <summary>The BERT special tokens, in BERT-base's relative order; the trainer gives them ids 0–4.</summary>
    public static IReadOnlyList<string> DefaultSpecialTokens { get; } = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    /// <summary>Target vocabulary size, special tokens and alphabet included. Default 8192.</summary>
    /// <remarks>Training stops earlier when no pair is left to merge (small corpora).</remarks>
    public int VocabularySize { get; init; } = 8192;

    /// <summary>A pair must occur at least this often (weighted by word counts) to be merged. Default 2.</summary>
    public int MinFrequency { get; init; } = 2;

    /// <summary>Lower-case the text before splitting (BERT "uncased"). Default <see langword="true"/>.</summary>
    public bool Lowercase { get; init; } = true;

    /// <summary>Remove diacritics (ä → a, é → e; ß is kept), as BERT-uncased does. Default <see langword="true"/>.</summary>
    public bool StripAccents { get; init; } = true;

    /// <summary>Special tokens at the start of the vocabulary, in order.</summary>
    /// <remarks>
    /// Must start with <c>[PAD] [UNK] [CLS] [SEP] [MASK]</c> (ids 0–4: BERT-base's relative order, with its
    /// <c>[unused*]</c> slots left out); further tokens get ids 5, 6, ….
    /// </remarks>
    public IReadOnlyList<string> SpecialTokens { get; init; } = DefaultSpecialTokens;

    /// <summary>Words longer than this many characters are left out of training (the tokenizer maps them to <c>[UNK]</c>). Default 100.</summary>
    public int MaxInputCharsPerWord { get; init; } = 100;

    /// <summary>Prefix that marks a piece continuing a word. Default <c>"##"</c>.</summary>
    public string ContinuingSubwordPrefix { get; init; } = "##";

    /// <summary>The matching tokenizer settings.</summary>
    /// <returns>Options for <see cref="WordPieceReportTokenizer"/> with the same normalisation and WordPiece settings.</returns>
    public WordPieceTokenizerOptions ToTokenizerOptions() => new()
    {
        Lowercase = Lowercase,
        StripAccents = StripAccents,
        MaxInputCharsPerWord = MaxInputCharsPerWord,
        ContinuingSubwordPrefix = ContinuingSubwordPrefix,
    };
}
