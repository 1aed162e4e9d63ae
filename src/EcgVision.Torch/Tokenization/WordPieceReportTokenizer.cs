using System.Text;
using EcgVision.Internal;
using EcgVision.Torch.Tokenization.Internal;
using Microsoft.ML.Tokenizers;

namespace EcgVision.Torch.Tokenization;

/// <summary>BERT WordPiece tokenizer for ECG reports (German and English), over Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/>.</summary>
/// <remarks>
/// <para>
/// Text is first split by BERT's basic tokenisation (this library's own, shared with
/// <see cref="WordPieceVocabularyTrainer"/>): control characters dropped, whitespace runs collapsed, lower-cased and
/// accents stripped when the options say so (ä → a, ö → o, é → e; ß stays ß, as in BERT-uncased), and every
/// punctuation character (all non-alphanumeric ASCII, and Unicode P*) a word of its own. Each word then goes through
/// <see cref="BertTokenizer"/>'s greedy longest-match-first WordPiece.
/// </para>
/// <para>
/// Unknown characters: a word that cannot be spelt with the vocabulary (it holds a character the vocabulary lacks) or
/// that is longer than <see cref="WordPieceTokenizerOptions.MaxInputCharsPerWord"/> becomes a single <c>[UNK]</c>, as in
/// BERT; the rest of the text is unaffected. Text that spells a special token (<c>[CLS]</c>) is split like other text
/// (<c>[</c>, <c>cls</c>, <c>]</c>), so reports cannot inject special tokens.
/// </para>
/// <para>Instances are immutable after creation; this type keeps no per-call state of its own.</para>
/// </remarks>
public sealed class WordPieceReportTokenizer : IReportTokenizer, IPersistableTokenizer
{
    /// <summary>The file name <see cref="Save"/> writes and model folders use.</summary>
    public const string VocabularyFileName = "vocab.txt";

    private const long MaxVocabularyBytes = 64L << 20;

    private readonly BertTokenizer _bert;
    private readonly string[] _vocabulary;
    private readonly ReportTextNormalizer _normalizer;
    private readonly string _prefix;

    private WordPieceReportTokenizer(BertTokenizer bert, string[] vocabulary, WordPieceTokenizerOptions options)
    {
        _bert = bert;
        _vocabulary = vocabulary;
        Options = options;
        _normalizer = new ReportTextNormalizer(options.Lowercase, options.StripAccents);
        _prefix = options.ContinuingSubwordPrefix;
    }

    /// <summary>The normalisation and WordPiece settings.</summary>
    public WordPieceTokenizerOptions Options { get; }

    /// <inheritdoc/>
    public int VocabularySize => _vocabulary.Length;

    /// <inheritdoc/>
    public int PadTokenId => _bert.PaddingTokenId;

    /// <summary>Id of <c>[UNK]</c>.</summary>
    public int UnknownTokenId => _bert.UnknownTokenId;

    /// <summary>Id of <c>[CLS]</c>, the first token of every row.</summary>
    public int ClassificationTokenId => _bert.ClassificationTokenId;

    /// <summary>Id of <c>[SEP]</c>, the last real token of every row.</summary>
    public int SeparatorTokenId => _bert.SeparatorTokenId;

    /// <summary>Id of <c>[MASK]</c>.</summary>
    public int MaskTokenId => _bert.MaskingTokenId;

    /// <summary>The tokens in id order (the lines of <c>vocab.txt</c>).</summary>
    public IReadOnlyList<string> Vocabulary => _vocabulary;

    /// <summary>Loads a tokenizer from a BERT <c>vocab.txt</c> file (one token per line, line <c>i</c> = id <c>i</c>).</summary>
    /// <param name="vocabPath">The vocabulary file.</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults (uncased, accents stripped), which match the trainer's defaults.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="ArgumentException"><paramref name="vocabPath"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The vocabulary is not UTF-8, is empty, too large, has duplicates or lacks a special token.</exception>
    public static WordPieceReportTokenizer Create(string vocabPath, WordPieceTokenizerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vocabPath);
        using var stream = File.OpenRead(vocabPath);
        return Create(stream, options, vocabPath);
    }

    /// <summary>Loads a tokenizer from a stream holding a BERT <c>vocab.txt</c>; the stream is not disposed.</summary>
    /// <param name="vocabStream">UTF-8 text, one token per line.</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="vocabStream"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidDataException">The vocabulary is not UTF-8, is empty, too large, has duplicates or lacks a special token.</exception>
    public static WordPieceReportTokenizer Create(Stream vocabStream, WordPieceTokenizerOptions? options = null) =>
        Create(vocabStream, options, "vocabStream");

    /// <summary>Creates a tokenizer from a vocabulary in id order (e.g. <see cref="WordPieceVocabularyTrainer.Train"/>'s result).</summary>
    /// <param name="vocabulary">The tokens; index = id.</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="vocabulary"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidDataException">The vocabulary is empty, has duplicates, line breaks or lacks a special token.</exception>
    public static WordPieceReportTokenizer FromVocabulary(IReadOnlyList<string> vocabulary, WordPieceTokenizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        return Build([.. vocabulary], options, "vocabulary");
    }

    /// <summary>Trains a vocabulary on <paramref name="corpus"/> and creates the matching tokenizer.</summary>
    /// <param name="trainer">The trainer; its options also set the tokenizer's normalisation.</param>
    /// <param name="corpus">Report texts.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">See <see cref="WordPieceVocabularyTrainer.Train"/>.</exception>
    public static WordPieceReportTokenizer FromTrainer(WordPieceVocabularyTrainer trainer, IEnumerable<string> corpus)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        return FromVocabulary(trainer.Train(corpus), trainer.Options.ToTokenizerOptions());
    }

    /// <summary>The text as the tokenizer sees it: normalised words and punctuation joined by single spaces.</summary>
    /// <param name="text">A report.</param>
    /// <returns>For example <c>"QT-Verlängerung,  möglich"</c> → <c>"qt - verlangerung , moglich"</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _normalizer.Normalize(text);
    }

    /// <summary>Splits <paramref name="text"/> into WordPiece tokens, without <c>[CLS]</c>/<c>[SEP]</c>.</summary>
    /// <param name="text">A report.</param>
    /// <returns>The tokens, e.g. <c>["sinus", "##rhythmus", "."]</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public IReadOnlyList<string> Tokenize(string text) => [.. EncodeToIds(text).Select(id => _vocabulary[id])];

    /// <summary>Token ids of <paramref name="text"/>, without <c>[CLS]</c>/<c>[SEP]</c> and without truncation.</summary>
    /// <param name="text">A report.</param>
    /// <returns>The ids.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public IReadOnlyList<int> EncodeToIds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string normalized = _normalizer.Normalize(text);
        return normalized.Length == 0
            ? []
            : _bert.EncodeToIds(normalized, addSpecialTokens: false, considerPreTokenization: true, considerNormalization: false);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Row <c>i</c> is <c>[CLS] t₁ … tₖ [SEP] [PAD] …</c> with mask <c>1 … 1 0 …</c>. A text with more than
    /// <c>maxLength - 2</c> tokens keeps its first <c>maxLength - 2</c> (the cut may fall inside a word, between two
    /// <c>##</c> pieces) and still ends with <c>[SEP]</c> at position <c>maxLength - 1</c>. Positions after row
    /// <c>texts.Count - 1</c> are left untouched.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> or one of its texts is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is less than 2.</exception>
    /// <exception cref="ArgumentException"><paramref name="ids"/> or <paramref name="attentionMask"/> is shorter than <c>texts.Count × maxLength</c>.</exception>
    public void Encode(IReadOnlyList<string> texts, int maxLength, Span<long> ids, Span<long> attentionMask)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (maxLength < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, $"maxLength must be at least 2, room for [CLS] and [SEP] (got {maxLength}).");
        }

        long needed = (long)texts.Count * maxLength;
        if (ids.Length < needed)
        {
            throw new ArgumentException($"ids must hold texts.Count × maxLength = {texts.Count} × {maxLength} = {needed} values (got {ids.Length}).", nameof(ids));
        }

        if (attentionMask.Length < needed)
        {
            throw new ArgumentException($"attentionMask must hold texts.Count × maxLength = {texts.Count} × {maxLength} = {needed} values (got {attentionMask.Length}).", nameof(attentionMask));
        }

        for (int i = 0; i < texts.Count; i++)
        {
            string text = texts[i] ?? throw new ArgumentNullException(nameof(texts), $"texts[{i}] is null.");
            IReadOnlyList<int> tokens = EncodeToIds(text);
            int kept = Math.Min(tokens.Count, maxLength - 2);
            Span<long> row = ids.Slice(i * maxLength, maxLength);
            Span<long> mask = attentionMask.Slice(i * maxLength, maxLength);
            row[0] = ClassificationTokenId;
            for (int t = 0; t < kept; t++)
            {
                row[t + 1] = tokens[t];
            }

            row[kept + 1] = SeparatorTokenId;
            row[(kept + 2)..].Fill(PadTokenId);
            mask[..(kept + 2)].Fill(1);
            mask[(kept + 2)..].Fill(0);
        }
    }

    /// <summary>Turns ids back into text: pieces joined, <c>##</c> pieces glued to the previous one, special tokens other than <c>[UNK]</c> dropped.</summary>
    /// <param name="ids">Token ids, e.g. one row of <see cref="Encode"/>.</param>
    /// <returns>
    /// The normalised text (<see cref="Normalize"/>) for any text without unknown words: words and punctuation
    /// separated by single spaces. Unknown words come back as <c>[UNK]</c>.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException">An id is negative or not below <see cref="VocabularySize"/>.</exception>
    public string Decode(ReadOnlySpan<long> ids)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < ids.Length; i++)
        {
            long id = ids[i];
            if ((ulong)id >= (ulong)_vocabulary.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"ids[{i}] must be between 0 and VocabularySize - 1 ({_vocabulary.Length - 1}) (got {id}).");
            }

            if (id == PadTokenId || id == ClassificationTokenId || id == SeparatorTokenId || id == MaskTokenId)
            {
                continue;
            }

            string token = _vocabulary[id];
            if (token.StartsWith(_prefix, StringComparison.Ordinal) && token.Length > _prefix.Length && sb.Length > 0)
            {
                sb.Append(token.AsSpan(_prefix.Length));
            }
            else
            {
                if (sb.Length > 0)
                {
                    sb.Append(' ');
                }

                sb.Append(token);
            }
        }

        return sb.ToString();
    }

    /// <summary>Turns ids back into text; see <see cref="Decode(ReadOnlySpan{long})"/>.</summary>
    /// <param name="ids">Token ids.</param>
    /// <returns>The decoded text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ids"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is out of range.</exception>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return Decode([.. ids.Select(i => (long)i)]);
    }

    /// <inheritdoc/>
    /// <remarks>Writes <c>vocab.txt</c> (UTF-8, no BOM, one token per line, <c>\n</c> endings) atomically.</remarks>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    public void Save(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllBytes(Path.Combine(directory, VocabularyFileName), ToVocabularyBytes(_vocabulary));
    }

    internal static byte[] ToVocabularyBytes(IEnumerable<string> vocabulary)
    {
        var sb = new StringBuilder();
        foreach (string token in vocabulary)
        {
            sb.Append(token).Append('\n');
        }

        return new UTF8Encoding(false).GetBytes(sb.ToString());
    }

    private static WordPieceReportTokenizer Create(Stream vocabStream, WordPieceTokenizerOptions? options, string source)
    {
        ArgumentNullException.ThrowIfNull(vocabStream);
        if (vocabStream.CanSeek && vocabStream.Length - vocabStream.Position > MaxVocabularyBytes)
        {
            throw new InvalidDataException($"{source}: a vocabulary must be at most {MaxVocabularyBytes} bytes (got {vocabStream.Length - vocabStream.Position}).");
        }

        var lines = new List<string>();
        using (var reader = new StreamReader(vocabStream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, 1 << 16, leaveOpen: true))
        {
            long chars = 0;
            try
            {
                while (reader.ReadLine() is { } line)
                {
                    chars += line.Length + 1;
                    if (chars > MaxVocabularyBytes)
                    {
                        throw new InvalidDataException($"{source}: a vocabulary must be at most {MaxVocabularyBytes} characters.");
                    }

                    lines.Add(line);
                }
            }
            catch (DecoderFallbackException ex)
            {
                throw new InvalidDataException($"{source}: the vocabulary is not valid UTF-8 ({ex.Message}).", ex);
            }
        }

        return Build([.. lines], options, source);
    }

    private static WordPieceReportTokenizer Build(string[] vocabulary, WordPieceTokenizerOptions? options, string source)
    {
        options ??= new WordPieceTokenizerOptions();
        if (options.MaxInputCharsPerWord < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxInputCharsPerWord, $"MaxInputCharsPerWord must be at least 1 (got {options.MaxInputCharsPerWord}).");
        }

        if (string.IsNullOrEmpty(options.ContinuingSubwordPrefix) || options.ContinuingSubwordPrefix.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"ContinuingSubwordPrefix must be non-empty and contain no whitespace (got '{options.ContinuingSubwordPrefix}').", nameof(options));
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < vocabulary.Length; i++)
        {
            string token = vocabulary[i];
            if (string.IsNullOrEmpty(token) || token.Any(c => c is '\n' or '\r'))
            {
                throw new InvalidDataException($"{source}: token {i} must be non-empty and on one line (got '{token}').");
            }

            if (!seen.TryAdd(token, i))
            {
                throw new InvalidDataException($"{source}: tokens must be distinct ('{token}' is both id {seen[token]} and id {i}).");
            }
        }

        foreach (string special in WordPieceTrainerOptions.DefaultSpecialTokens)
        {
            if (!seen.ContainsKey(special))
            {
                throw new InvalidDataException($"{source}: the vocabulary must contain the special token {special} ({vocabulary.Length} tokens read).");
            }
        }

        var bertOptions = new BertOptions
        {
            // Normalisation and the punctuation split happen in ReportTextNormalizer; BertTokenizer only sees
            // normalised words separated by single spaces and runs WordPiece on each.
            LowerCaseBeforeTokenization = false,
            RemoveNonSpacingMarks = false,
            ApplyBasicTokenization = false,
            SplitOnSpecialTokens = false,
            IndividuallyTokenizeCjk = false,
            MaxInputCharsPerWord = options.MaxInputCharsPerWord,
            ContinuingSubwordPrefix = options.ContinuingSubwordPrefix,
        };
        using var stream = new MemoryStream(ToVocabularyBytes(vocabulary));
        BertTokenizer bert = BertTokenizer.Create(stream, bertOptions);
        return new WordPieceReportTokenizer(bert, vocabulary, options);
    }
}
