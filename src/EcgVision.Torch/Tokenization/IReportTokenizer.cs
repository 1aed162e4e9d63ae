namespace EcgVision.Torch.Tokenization;

/// <summary>Turns report texts into fixed-length token-id and attention-mask rows for the report encoder.</summary>
/// <remarks>
/// Rows are <c>[CLS] tokens… [SEP] [PAD]…</c>; a text longer than <c>maxLength</c> is truncated to <c>maxLength - 1</c>
/// positions and still ends with <c>[SEP]</c>. The attention mask is 1 for real tokens and 0 for padding.
/// </remarks>
public interface IReportTokenizer
{
    /// <summary>Number of ids in the vocabulary (the report encoder's embedding rows).</summary>
    int VocabularySize { get; }

    /// <summary>Id of the padding token.</summary>
    int PadTokenId { get; }

    /// <summary>Encodes <paramref name="texts"/> into row-major <c>[texts.Count, maxLength]</c> buffers.</summary>
    /// <param name="texts">The report texts.</param>
    /// <param name="maxLength">Tokens per row, including <c>[CLS]</c> and <c>[SEP]</c> (at least 2).</param>
    /// <param name="ids">Destination for token ids, at least <c>texts.Count × maxLength</c>.</param>
    /// <param name="attentionMask">Destination for the mask, same length as <paramref name="ids"/>.</param>
    void Encode(IReadOnlyList<string> texts, int maxLength, Span<long> ids, Span<long> attentionMask);
}
