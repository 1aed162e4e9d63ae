using EcgVision.Testing;
using EcgVision.Torch.Tokenization;

namespace EcgVision.Torch.Tests.Tokenization;

public class WordPieceVocabularyTrainerTests
{
    private static readonly string[] s_corpus =
    [
        "Sinusrhythmus normales EKG",
        "sinusrhythmus linkstyp T abnormal, wahrscheinlich inferiorer Myokardschaden QT-VerlÄngerung",
        "sinus rhythm. normal ecg.",
        "premature ventricular contraction(s). sinus rhythm. voltages are high in limb leads suggesting lvh.",
        "sinustachykardie lagetyp normal sonst normales ekg 4.46 unbestÄtigter bericht",
        "Größe: Straße 12",
    ];

    [Fact]
    public void Train_SameCorpusTwice_GivesIdenticalVocabularyBytes()
    {
        var options = new WordPieceTrainerOptions { VocabularySize = 120, MinFrequency = 1 };
        var first = new WordPieceVocabularyTrainer(options).Train(s_corpus);
        var second = new WordPieceVocabularyTrainer(options).Train(s_corpus.Reverse());

        WordPieceReportTokenizer.ToVocabularyBytes(second).Should().Equal(WordPieceReportTokenizer.ToVocabularyBytes(first));
        first.Should().HaveCount(120);
    }

    [Fact]
    public void Train_PlacesSpecialTokensAtIdsZeroToFour()
    {
        var vocabulary = new WordPieceVocabularyTrainer(new() { VocabularySize = 100 }).Train(s_corpus);

        vocabulary.Take(5).Should().Equal("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");
    }

    [Fact]
    public void Train_ExtraSpecialTokens_FollowTheFiveBertTokens()
    {
        var options = new WordPieceTrainerOptions { VocabularySize = 100, SpecialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[DE]", "[EN]"] };

        var vocabulary = new WordPieceVocabularyTrainer(options).Train(s_corpus);

        vocabulary.Take(7).Should().Equal(options.SpecialTokens);
    }

    [Fact]
    public void Train_IncludesEveryCorpusCharacterWithAndWithoutPrefix_AfterNormalisation()
    {
        var vocabulary = new WordPieceVocabularyTrainer(new() { VocabularySize = 100 }).Train(["Äb ß-c"]);

        // Ä → a (umlaut stripped, lower-cased), ß kept, '-' split off as punctuation; one occurrence each, so no merge.
        vocabulary.Skip(5).Should().Equal("##-", "##a", "##b", "##c", "##ß", "-", "a", "b", "c", "ß");
        vocabulary.Skip(5).Should().NotContain(t => t.Contains('Ä') || t.Contains('ä') || t.Contains('A'));
    }

    [Fact]
    public void Train_UsesWordPieceScore_NotPairFrequency()
    {
        // (a,##b) and (a,##c) occur 4 times each but 'a' is common: score 4 / (8 · 4) = 0.125.
        // (d,##e) occurs only 3 times but its parts never occur apart: score 3 / (3 · 3) = 0.33, so it merges first.
        string[] corpus = [.. Enumerable.Repeat("ab ac", 4), .. Enumerable.Repeat("de", 3)];
        var options = new WordPieceTrainerOptions { VocabularySize = 5 + 10 + 1, MinFrequency = 1 };

        var vocabulary = new WordPieceVocabularyTrainer(options).Train(corpus);

        vocabulary[^1].Should().Be("de");
    }

    [Fact]
    public void Train_EqualScores_BreakTiesByOrdinalOrder()
    {
        // (a,##b) and (a,##c): 2 / (4 · 2) each; "##b" < "##c" ordinally, so "ab" comes first.
        string[] corpus = ["ac ab ac ab"];
        var options = new WordPieceTrainerOptions { VocabularySize = 5 + 6 + 2, MinFrequency = 1 };

        var vocabulary = new WordPieceVocabularyTrainer(options).Train(corpus);

        vocabulary.Skip(11).Should().Equal("ab", "ac");
    }

    [Fact]
    public void Train_MinFrequency_StopsBeforeVocabularySize()
    {
        var options = new WordPieceTrainerOptions { VocabularySize = 1000, MinFrequency = 1000 };

        var vocabulary = new WordPieceVocabularyTrainer(options).Train(s_corpus);

        vocabulary.Should().NotContain(t => t.Length > 1 && !t.StartsWith('[') && !(t.StartsWith("##") && t.Length == 3));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Train_CorpusWithoutWords_Throws(int variant)
    {
        string[] corpus = variant == 0 ? [] : ["", "   \t\n", "\u0000"];
        var act = () => new WordPieceVocabularyTrainer().Train(corpus);

        act.Should().Throw<ArgumentException>().WithParameterName("corpus").WithMessage("*at least one word*");
    }

    [Fact]
    public void Train_VocabularySmallerThanAlphabetPlusSpecials_Throws()
    {
        var act = () => new WordPieceVocabularyTrainer(new() { VocabularySize = 10 }).Train(["abc"]);

        // 5 special tokens + {a, b, c} × {"", "##"} = 11.
        act.Should().Throw<ArgumentException>().WithParameterName("corpus").WithMessage("*VocabularySize*11*got 10*");
    }

    [Fact]
    public void Train_NullText_Throws()
    {
        var act = () => new WordPieceVocabularyTrainer().Train(["ok", null!]);

        act.Should().Throw<ArgumentNullException>().WithParameterName("corpus").WithMessage("*index 1*");
    }

    public static TheoryData<WordPieceTrainerOptions, string> InvalidOptions => new()
    {
        { new() { VocabularySize = 0 }, "VocabularySize*got 0*" },
        { new() { MinFrequency = 0 }, "MinFrequency*got 0*" },
        { new() { MaxInputCharsPerWord = 0 }, "MaxInputCharsPerWord*got 0*" },
        { new() { ContinuingSubwordPrefix = "" }, "ContinuingSubwordPrefix*" },
        { new() { SpecialTokens = ["[UNK]", "[PAD]", "[CLS]", "[SEP]", "[MASK]"] }, "SpecialTokens must start with*" },
        { new() { SpecialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[PAD]"] }, "SpecialTokens must be distinct*" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Constructor_InvalidOptions_Throws(WordPieceTrainerOptions options, string message)
    {
        var act = () => new WordPieceVocabularyTrainer(options);

        act.Should().Throw<ArgumentException>().WithParameterName("options").WithMessage(message);
    }

    [SharedDataFact(PtbXlReports.Folder)]
    public void Train_PtbXlReports_IsDeterministicAndReachesTheSize()
    {
        var options = new WordPieceTrainerOptions { VocabularySize = 300 };
        var reports = PtbXlReports.All;

        var first = new WordPieceVocabularyTrainer(options).Train(reports);
        var second = new WordPieceVocabularyTrainer(options).Train(reports.Reverse());

        reports.Should().HaveCountGreaterThan(10);
        first.Should().HaveCount(300).And.OnlyHaveUniqueItems();
        WordPieceReportTokenizer.ToVocabularyBytes(second).Should().Equal(WordPieceReportTokenizer.ToVocabularyBytes(first));
        var tokenizer = WordPieceReportTokenizer.FromVocabulary(first);
        tokenizer.Tokenize("sinusrhythmus").Count.Should().BeLessThan(5, "300 tokens are enough to learn PTB-XL's most common word in a few pieces");
    }
}
