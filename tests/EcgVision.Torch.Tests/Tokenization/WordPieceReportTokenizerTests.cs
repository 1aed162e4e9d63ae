using CsCheck;
using EcgVision.Testing;
using EcgVision.Torch.Tokenization;

namespace EcgVision.Torch.Tests.Tokenization;

public class WordPieceReportTokenizerTests
{
    private static readonly string[] s_corpus =
    [
        "Sinusrhythmus normales EKG",
        "sinusrhythmus linkstyp T abnormal, wahrscheinlich inferiorer Myokardschaden QT-VerlÄngerung",
        "sinus rhythm. normal ecg.",
        "premature ventricular contraction(s). sinus rhythm. voltages are high in limb leads suggesting lvh.",
        "Größe: Straße 12",
    ];

    private static readonly Lazy<WordPieceReportTokenizer> s_tokenizer = new(() =>
        WordPieceReportTokenizer.FromTrainer(new WordPieceVocabularyTrainer(new() { VocabularySize = 150, MinFrequency = 1 }), s_corpus));

    private static WordPieceReportTokenizer Tokenizer => s_tokenizer.Value;

    [Fact]
    public void Normalize_LowercasesStripsUmlautsKeepsSharpSAndSplitsPunctuation()
    {
        Tokenizer.Normalize("  Größe: QT-Verlängerung,\tÉté\u0000 ")
            .Should().Be("große : qt - verlangerung , ete");
    }

    [Fact]
    public void Tokenize_UsesContinuationPiecesAndSpecialIds()
    {
        var tokens = Tokenizer.Tokenize("Sinusrhythmus, normales EKG.");

        string.Concat(tokens.Select(t => t.StartsWith("##") ? t[2..] : " " + t)).Trim()
            .Should().Be("sinusrhythmus , normales ekg .");
        Tokenizer.PadTokenId.Should().Be(0);
        Tokenizer.UnknownTokenId.Should().Be(1);
        Tokenizer.ClassificationTokenId.Should().Be(2);
        Tokenizer.SeparatorTokenId.Should().Be(3);
        Tokenizer.MaskTokenId.Should().Be(4);
        Tokenizer.VocabularySize.Should().Be(150);
    }

    [Fact]
    public void Encode_ShortTexts_AreClsTokensSepThenPaddingWithMatchingMask()
    {
        string[] texts = ["sinus rhythm", ""];
        var ids = new long[2 * 8];
        var mask = new long[2 * 8];

        Tokenizer.Encode(texts, 8, ids, mask);

        var tokens = Tokenizer.EncodeToIds("sinus rhythm");
        int n = tokens.Count;
        ids[0].Should().Be(2);
        ids.Skip(1).Take(n).Should().Equal(tokens.Select(t => (long)t));
        ids[n + 1].Should().Be(3);
        ids.Skip(n + 2).Take(8 - n - 2).Should().OnlyContain(x => x == 0);
        mask.Take(8).Should().Equal(Enumerable.Range(0, 8).Select(i => i < n + 2 ? 1L : 0L));
        ids.Skip(8).Should().Equal(2, 3, 0, 0, 0, 0, 0, 0);
        mask.Skip(8).Should().Equal(1, 1, 0, 0, 0, 0, 0, 0);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(6)]
    public void Encode_LongText_TruncatesAndKeepsSepLast(int maxLength)
    {
        string text = "premature ventricular contraction(s). sinus rhythm. voltages are high in limb leads suggesting lvh.";
        var all = Tokenizer.EncodeToIds(text);
        var ids = new long[maxLength];
        var mask = new long[maxLength];

        Tokenizer.Encode([text], maxLength, ids, mask);

        all.Count.Should().BeGreaterThan(maxLength);
        ids[0].Should().Be(Tokenizer.ClassificationTokenId);
        ids[^1].Should().Be(Tokenizer.SeparatorTokenId);
        ids.Skip(1).Take(maxLength - 2).Should().Equal(all.Take(maxLength - 2).Select(t => (long)t));
        mask.Should().OnlyContain(m => m == 1);
    }

    [Fact]
    public void Encode_UnknownCharacter_MapsItsWordToUnk()
    {
        // '€' and 'Ω' never occur in the training corpus: the word holding them becomes one [UNK], BERT-style.
        var tokens = Tokenizer.Tokenize("sinus 5€ rhythm Ω");

        tokens.Should().Equal(Tokenizer.Tokenize("sinus").Append("[UNK]").Concat(Tokenizer.Tokenize("rhythm")).Append("[UNK]"));
        Tokenizer.Decode(Tokenizer.EncodeToIds("sinus 5€")).Should().Be("sinus [UNK]");
    }

    [Fact]
    public void Encode_SpecialTokenSpelledInText_IsNotASpecialToken()
    {
        var ids = Tokenizer.EncodeToIds("[CLS] [SEP]");

        ids.Should().NotContain([Tokenizer.ClassificationTokenId, Tokenizer.SeparatorTokenId]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-3)]
    public void Encode_MaxLengthBelowTwo_Throws(int maxLength)
    {
        var act = () => Tokenizer.Encode(["x"], maxLength, new long[8], new long[8]);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxLength").WithMessage($"*at least 2*got {maxLength}*");
    }

    [Fact]
    public void Encode_IdsTooShort_Throws()
    {
        var act = () => Tokenizer.Encode(["a", "b"], 4, new long[7], new long[8]);

        act.Should().Throw<ArgumentException>().WithParameterName("ids").WithMessage("*2 × 4 = 8*got 7*");
    }

    [Fact]
    public void Encode_MaskTooShort_Throws()
    {
        var act = () => Tokenizer.Encode(["a", "b"], 4, new long[8], new long[3]);

        act.Should().Throw<ArgumentException>().WithParameterName("attentionMask").WithMessage("*got 3*");
    }

    [Fact]
    public void Encode_NullText_Throws()
    {
        var act = () => Tokenizer.Encode(["a", null!], 4, new long[8], new long[8]);

        act.Should().Throw<ArgumentNullException>().WithParameterName("texts").WithMessage("*texts[1]*");
    }

    [Fact]
    public void Decode_TextOverTheTrainingAlphabet_RoundTripsToTheNormalisedText()
    {
        // Every character here occurs in the training corpus (Ä/ä via "VerlÄngerung", ß via "Straße").
        Gen.String[Gen.Char["sinuhytmrSNÄäöß.,-():12 \t"], 0, 60].Sample(text =>
        {
            var ids = Tokenizer.EncodeToIds(text);
            ids.Should().NotContain(Tokenizer.UnknownTokenId);
            Tokenizer.Decode(ids).Should().Be(Tokenizer.Normalize(text));
        }, iter: 300);
    }

    [Fact]
    public void Create_VocabularyNotUtf8_ThrowsInvalidDataNamingSource()
    {
        // A fuzz find (docs/fuzzing.md, third round): the strict UTF-8 decoder's DecoderFallbackException escaped.
        byte[] vocab = [.. System.Text.Encoding.UTF8.GetBytes("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nsinus\nrh"), 0x8C, .. "ythm\n"u8.ToArray()];

        var act = () => WordPieceReportTokenizer.Create(new MemoryStream(vocab));

        act.Should().Throw<InvalidDataException>().WithMessage("vocabStream: the vocabulary is not valid UTF-8*");
    }

    [Fact]
    public void Decode_IdOutOfRange_Throws()
    {
        var act = () => Tokenizer.Decode(new long[] { 2, 150, 3 });

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("ids").WithMessage("*ids[1]*got 150*");
    }

    [Fact]
    public void Save_ThenCreate_GivesTheSameVocabularyAndTokens()
    {
        string dir = Path.Combine(Path.GetTempPath(), "ecgvision-tok-" + Guid.NewGuid().ToString("N"), "model");
        try
        {
            Tokenizer.Save(dir);
            var loaded = WordPieceReportTokenizer.Create(Path.Combine(dir, WordPieceReportTokenizer.VocabularyFileName));

            Directory.GetFiles(dir).Select(Path.GetFileName).Should().Equal("vocab.txt");
            loaded.Vocabulary.Should().Equal(Tokenizer.Vocabulary);
            loaded.Tokenize(s_corpus[1]).Should().Equal(Tokenizer.Tokenize(s_corpus[1]));
            File.ReadAllBytes(Path.Combine(dir, "vocab.txt")).Should().Equal(WordPieceReportTokenizer.ToVocabularyBytes(Tokenizer.Vocabulary));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true);
        }
    }

    [Fact]
    public void Create_VocabularyWithoutSpecialToken_Throws()
    {
        using var stream = new MemoryStream("[PAD]\n[UNK]\n[CLS]\n[MASK]\na\n"u8.ToArray());

        var act = () => WordPieceReportTokenizer.Create(stream);

        act.Should().Throw<InvalidDataException>().WithMessage("*vocabStream*[SEP]*");
    }

    [Fact]
    public void Create_DuplicateToken_Throws()
    {
        using var stream = new MemoryStream("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\na\nb\na\n"u8.ToArray());

        var act = () => WordPieceReportTokenizer.Create(stream);

        act.Should().Throw<InvalidDataException>().WithMessage("*'a' is both id 5 and id 7*");
    }

    [Fact]
    public void Create_BertBaseStyleVocabulary_UsesItsSpecialIds()
    {
        var tokens = new List<string> { "[PAD]" };
        tokens.AddRange(Enumerable.Range(0, 99).Select(i => $"[unused{i}]"));
        tokens.AddRange(["[UNK]", "[CLS]", "[SEP]", "[MASK]", "sinus", "##rhythmus"]);

        var tokenizer = WordPieceReportTokenizer.FromVocabulary(tokens);

        (tokenizer.PadTokenId, tokenizer.UnknownTokenId, tokenizer.ClassificationTokenId, tokenizer.SeparatorTokenId)
            .Should().Be((0, 100, 101, 102));
        tokenizer.EncodeToIds("Sinusrhythmus").Should().Equal(104, 105);
    }

    [SharedDataFact(PtbXlReports.Folder)]
    public void Decode_EveryPtbXlReport_RoundTripsToTheNormalisedText()
    {
        var reports = PtbXlReports.All;
        var tokenizer = WordPieceReportTokenizer.FromTrainer(new WordPieceVocabularyTrainer(new() { VocabularySize = 400 }), reports);
        const int maxLength = 256;
        var ids = new long[reports.Count * maxLength];
        var mask = new long[ids.Length];

        tokenizer.Encode(reports, maxLength, ids, mask);

        for (int i = 0; i < reports.Count; i++)
        {
            var row = ids.AsSpan(i * maxLength, maxLength);
            string expected = tokenizer.Normalize(reports[i]);
            mask.AsSpan(i * maxLength, maxLength).ToArray().Sum().Should().BeLessThan(maxLength, "report {0} must not be truncated", i);
            row.ToArray().Should().NotContain(tokenizer.UnknownTokenId, "every character of report {0} is in the alphabet", i);
            tokenizer.Decode(row).Should().Be(expected, "report {0} is \"{1}\"", i, reports[i]);
            expected.Should().NotContainAny("Ä", "Ö", "Ü", "ä", "ö", "ü").And.Be(expected.ToLowerInvariant()).And.NotContain("  ");
        }
    }
}
