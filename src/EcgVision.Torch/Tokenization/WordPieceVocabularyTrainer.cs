using System.Text;
using EcgVision.Torch.Tokenization.Internal;

namespace EcgVision.Torch.Tokenization;

/// <summary>Learns a WordPiece vocabulary (BERT <c>vocab.txt</c>) from report texts, deterministically.</summary>
/// <remarks>
/// <para>
/// Steps: (1) BERT basic tokenisation of every text (control characters dropped, lower-casing, accent stripping,
/// split on whitespace and punctuation; see <see cref="WordPieceTokenizerOptions"/>); (2) word counts; (3) the initial
/// vocabulary is the special tokens, then every character of the corpus both as a word start (<c>a</c>) and as a
/// continuation (<c>##a</c>), in ordinal order; (4) words start as character sequences (<c>s ##i ##n ##u ##s</c>) and
/// the adjacent pair with the highest WordPiece score <c>freq(ab) / (freq(a) · freq(b))</c> is merged, repeatedly,
/// until the vocabulary reaches <see cref="WordPieceTrainerOptions.VocabularySize"/> or no pair occurs at least
/// <see cref="WordPieceTrainerOptions.MinFrequency"/> times. Each merge adds one token (<c>##i</c> + <c>##n</c> →
/// <c>##in</c>) unless it is already in the vocabulary.
/// </para>
/// <para>
/// Equal scores are broken by the ordinal order of the left, then the right token, so the same corpus always gives the
/// same vocabulary, byte for byte, whatever the order of dictionary enumeration or the machine. The corpus order does
/// not matter either: only word counts are used.
/// </para>
/// <para>
/// HF <c>tokenizers</c>' <c>WordPieceTrainer</c> instead runs its BPE trainer (merging the most <em>frequent</em>
/// pair) with the <c>##</c> prefix and converts the result; the score used here is the likelihood criterion of
/// Schuster &amp; Nakajima (2012) as described for BERT's WordPiece, which prefers pairs whose parts are rare on their own.
/// </para>
/// </remarks>
public sealed class WordPieceVocabularyTrainer
{
    /// <summary>Creates a trainer.</summary>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size or frequency option is out of range.</exception>
    /// <exception cref="ArgumentException">The special tokens do not start with the five BERT tokens, or the prefix is empty.</exception>
    public WordPieceVocabularyTrainer(WordPieceTrainerOptions? options = null)
    {
        Options = options ?? new WordPieceTrainerOptions();
        var o = Options;
        if (o.VocabularySize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), o.VocabularySize, $"VocabularySize must be at least 1 (got {o.VocabularySize}).");
        }

        if (o.MinFrequency < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), o.MinFrequency, $"MinFrequency must be at least 1 (got {o.MinFrequency}).");
        }

        if (o.MaxInputCharsPerWord < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), o.MaxInputCharsPerWord, $"MaxInputCharsPerWord must be at least 1 (got {o.MaxInputCharsPerWord}).");
        }

        if (string.IsNullOrEmpty(o.ContinuingSubwordPrefix) || o.ContinuingSubwordPrefix.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"ContinuingSubwordPrefix must be non-empty and contain no whitespace (got '{o.ContinuingSubwordPrefix}').", nameof(options));
        }

        var required = WordPieceTrainerOptions.DefaultSpecialTokens;
        if (o.SpecialTokens is null || o.SpecialTokens.Count < required.Count || !required.SequenceEqual(o.SpecialTokens.Take(required.Count), StringComparer.Ordinal))
        {
            string got = o.SpecialTokens is null ? "null" : string.Join(' ', o.SpecialTokens);
            throw new ArgumentException($"SpecialTokens must start with {string.Join(' ', required)} (got {got}).", nameof(options));
        }

        if (o.SpecialTokens.Distinct(StringComparer.Ordinal).Count() != o.SpecialTokens.Count || o.SpecialTokens.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"SpecialTokens must be distinct, non-empty strings (got {string.Join(' ', o.SpecialTokens)}).", nameof(options));
        }
    }

    /// <summary>The settings this trainer uses.</summary>
    public WordPieceTrainerOptions Options { get; }

    /// <summary>Learns a vocabulary from <paramref name="corpus"/>.</summary>
    /// <param name="corpus">Report texts (for PTB-XL: the German and English <c>report</c> column).</param>
    /// <returns>The tokens in id order (line <c>i</c> of <c>vocab.txt</c> is id <c>i</c>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="corpus"/> or one of its texts is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The corpus holds no word, or <see cref="WordPieceTrainerOptions.VocabularySize"/> is smaller than the special
    /// tokens plus the corpus alphabet (with and without the continuation prefix).
    /// </exception>
    public IReadOnlyList<string> Train(IEnumerable<string> corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var o = Options;
        var normalizer = new ReportTextNormalizer(o.Lowercase, o.StripAccents);
        var wordCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        int texts = 0;
        foreach (string text in corpus)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(corpus), $"corpus holds a null text at index {texts}.");
            }

            foreach (string word in normalizer.PreTokenize(text))
            {
                if (word.Length <= o.MaxInputCharsPerWord)
                {
                    wordCounts[word] = wordCounts.GetValueOrDefault(word) + 1;
                }
            }

            texts++;
        }

        if (wordCounts.Count == 0)
        {
            throw new ArgumentException($"corpus must contain at least one word after normalisation (got {texts} texts and no word).", nameof(corpus));
        }

        string prefix = o.ContinuingSubwordPrefix;
        var alphabet = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string word in wordCounts.Keys)
        {
            foreach (Rune r in word.EnumerateRunes())
            {
                alphabet.Add(r.ToString());
            }
        }

        var vocabulary = new List<string>(o.SpecialTokens);
        var inVocabulary = new HashSet<string>(vocabulary, StringComparer.Ordinal);
        var initial = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string c in alphabet)
        {
            initial.Add(c);
            initial.Add(prefix + c);
        }

        initial.ExceptWith(inVocabulary);
        if (o.VocabularySize < vocabulary.Count + initial.Count)
        {
            throw new ArgumentException(
                $"VocabularySize must be at least the {vocabulary.Count} special tokens plus the corpus alphabet with and without '{prefix}' " +
                $"({alphabet.Count} characters → {initial.Count} tokens), i.e. {vocabulary.Count + initial.Count} (got {o.VocabularySize}).",
                nameof(corpus));
        }

        foreach (string t in initial)
        {
            vocabulary.Add(t);
            inVocabulary.Add(t);
        }

        new Merger(wordCounts, prefix).Run(vocabulary, inVocabulary, o.VocabularySize, o.MinFrequency);
        return vocabulary;
    }

    /// <summary>Incremental pair statistics over the distinct words, merged in place.</summary>
    private sealed class Merger
    {
        private readonly string _prefix;
        private readonly List<string> _symbols = [];
        private readonly Dictionary<string, int> _symbolIds = new(StringComparer.Ordinal);
        private readonly List<long> _symbolFrequency = [];
        private readonly int[][] _words;
        private readonly long[] _counts;
        private readonly Dictionary<(int A, int B), long> _pairFrequency = [];
        private readonly Dictionary<(int A, int B), HashSet<int>> _pairWords = [];

        public Merger(Dictionary<string, long> wordCounts, string prefix)
        {
            _prefix = prefix;
            _words = new int[wordCounts.Count][];
            _counts = new long[wordCounts.Count];
            int w = 0;

            // Ordinal word order keeps every list below independent of dictionary enumeration order.
            foreach (var (word, count) in wordCounts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var runes = word.EnumerateRunes().Select(r => r.ToString()).ToArray();
                var ids = new int[runes.Length];
                for (int i = 0; i < runes.Length; i++)
                {
                    ids[i] = Intern(i == 0 ? runes[i] : prefix + runes[i]);
                }

                _words[w] = ids;
                _counts[w] = count;
                Add(w, +1);
                w++;
            }
        }

        public void Run(List<string> vocabulary, HashSet<string> inVocabulary, int vocabularySize, int minFrequency)
        {
            while (vocabulary.Count < vocabularySize)
            {
                if (!TryBest(minFrequency, out var best))
                {
                    return;
                }

                string right = _symbols[best.B];
                string merged = _symbols[best.A] + right[_prefix.Length..];
                int mergedId = Intern(merged);
                if (inVocabulary.Add(merged))
                {
                    vocabulary.Add(merged);
                }

                // Sorted so that the (order-independent) counts are also updated in a reproducible order.
                foreach (int w in _pairWords[best].Order())
                {
                    Add(w, -1);
                    _words[w] = Merge(_words[w], best, mergedId);
                    Add(w, +1);
                }

                _pairWords.Remove(best);
            }
        }

        private bool TryBest(int minFrequency, out (int A, int B) best)
        {
            best = default;
            double bestScore = double.NegativeInfinity;
            bool found = false;
            foreach (var (pair, frequency) in _pairFrequency)
            {
                if (frequency < minFrequency)
                {
                    continue;
                }

                double score = frequency / ((double)_symbolFrequency[pair.A] * _symbolFrequency[pair.B]);
                if (!found || score > bestScore || (score == bestScore && Compare(pair, best) < 0))
                {
                    best = pair;
                    bestScore = score;
                    found = true;
                }
            }

            return found;
        }

        private int Compare((int A, int B) x, (int A, int B) y)
        {
            int c = string.CompareOrdinal(_symbols[x.A], _symbols[y.A]);
            return c != 0 ? c : string.CompareOrdinal(_symbols[x.B], _symbols[y.B]);
        }

        private static int[] Merge(int[] word, (int A, int B) pair, int mergedId)
        {
            var result = new List<int>(word.Length);
            for (int i = 0; i < word.Length; i++)
            {
                if (i + 1 < word.Length && word[i] == pair.A && word[i + 1] == pair.B)
                {
                    result.Add(mergedId);
                    i++;
                }
                else
                {
                    result.Add(word[i]);
                }
            }

            return [.. result];
        }

        // Adds (sign = +1) or removes (-1) word w's symbols and adjacent pairs from the statistics.
        private void Add(int w, int sign)
        {
            int[] word = _words[w];
            long count = sign * _counts[w];
            for (int i = 0; i < word.Length; i++)
            {
                _symbolFrequency[word[i]] += count;
                if (i + 1 == word.Length)
                {
                    break;
                }

                var pair = (word[i], word[i + 1]);
                long f = _pairFrequency.GetValueOrDefault(pair) + count;
                if (f == 0)
                {
                    _pairFrequency.Remove(pair);
                }
                else
                {
                    _pairFrequency[pair] = f;
                }

                if (sign > 0)
                {
                    if (!_pairWords.TryGetValue(pair, out var set))
                    {
                        _pairWords[pair] = set = [];
                    }

                    set.Add(w);
                }
            }
        }

        private int Intern(string symbol)
        {
            if (!_symbolIds.TryGetValue(symbol, out int id))
            {
                id = _symbols.Count;
                _symbols.Add(symbol);
                _symbolIds[symbol] = id;
                _symbolFrequency.Add(0);
            }

            return id;
        }
    }
}
