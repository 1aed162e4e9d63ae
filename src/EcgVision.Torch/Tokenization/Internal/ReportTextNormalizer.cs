using System.Globalization;
using System.Text;

namespace EcgVision.Torch.Tokenization.Internal;

/// <summary>BERT's "basic tokenizer": text clean-up, lower-casing, accent stripping, whitespace + punctuation split.</summary>
/// <remarks>
/// Shared by <see cref="WordPieceVocabularyTrainer"/> and <see cref="WordPieceReportTokenizer"/> so that training and
/// encoding see identical words. It mirrors Google BERT's <c>BasicTokenizer</c> (and HF <c>BertNormalizer</c> +
/// <c>BertPreTokenizer</c>) rather than Microsoft.ML.Tokenizers' own basic tokenisation, which drops symbol characters
/// such as <c>+</c>, <c>&lt;</c> or <c>°</c> silently (its word regex keeps only <c>\w</c> and <c>\p{P}</c>) and whose
/// accent stripping depends on ICU (a no-op under <c>InvariantGlobalization</c>).
/// </remarks>
internal sealed class ReportTextNormalizer
{
    private readonly bool _lowercase;
    private readonly bool _stripAccents;

    public ReportTextNormalizer(bool lowercase, bool stripAccents)
    {
        _lowercase = lowercase;
        _stripAccents = stripAccents;
    }

    /// <summary>Splits <paramref name="text"/> into normalised words and single punctuation / CJK characters.</summary>
    public List<string> PreTokenize(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (Rune r in text.EnumerateRunes())
        {
            Rune rune = r;
            if (IsControl(rune))
            {
                continue;
            }

            if (Rune.IsWhiteSpace(rune))
            {
                Flush(current, words);
                continue;
            }

            if (_lowercase)
            {
                rune = Rune.ToLowerInvariant(rune);
            }

            if (_stripAccents)
            {
                if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.NonSpacingMark)
                {
                    continue;
                }

                rune = StripAccent(rune);
            }

            if (IsPunctuation(rune) || IsCjk(rune.Value))
            {
                Flush(current, words);
                words.Add(rune.ToString());
                continue;
            }

            current.Append(rune.ToString());
        }

        Flush(current, words);
        return words;
    }

    /// <summary>The normalised text: <see cref="PreTokenize"/>'s words joined by single spaces.</summary>
    public string Normalize(string text) => string.Join(' ', PreTokenize(text));

    internal static Rune StripAccent(Rune rune)
    {
        if (rune.Value is < 0xC0 or > 0x1FFF)
        {
            return rune;
        }

        int i = AccentTable.Keys.AsSpan().BinarySearch((char)rune.Value);
        return i >= 0 ? new Rune(AccentTable.Values[i]) : rune;
    }

    // BERT's _is_punctuation: every non-alphanumeric ASCII character counts, plus Unicode P* categories.
    internal static bool IsPunctuation(Rune rune)
    {
        int c = rune.Value;
        if (c is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126))
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    // BERT's _clean_text: drops NUL, U+FFFD and control / format characters other than whitespace.
    private static bool IsControl(Rune rune)
    {
        if (rune.Value is 0 or 0xFFFD)
        {
            return true;
        }

        if (rune.Value is '\t' or '\n' or '\r')
        {
            return false;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format;
    }

    // BERT's _is_chinese_char ranges (CJK ideographs are split into single characters).
    private static bool IsCjk(int c) =>
        c is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF)
            or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B820 and <= 0x2CEAF)
            or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);

    private static void Flush(StringBuilder current, List<string> words)
    {
        if (current.Length > 0)
        {
            words.Add(current.ToString());
            current.Clear();
        }
    }
}
