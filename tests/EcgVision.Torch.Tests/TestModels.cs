using EcgVision.Torch.Clip;
using EcgVision.Torch.Text;
using EcgVision.Torch.Tokenization;
using EcgVision.Torch.Training;
using EcgVision.Torch.Vision;
using TorchSharp;

namespace EcgVision.Torch.Tests;

/// <summary>Test-only tokenizer: lower-case whitespace words, ids assigned from a fixed word list (others map to [UNK]).</summary>
internal sealed class WordListTokenizer : IReportTokenizer, IPersistableTokenizer
{
    public const int Pad = 0, Cls = 1, Sep = 2, Unk = 3;
    private readonly Dictionary<string, int> ids = new(StringComparer.Ordinal);
    private readonly int size;

    public WordListTokenizer(IEnumerable<string> corpus, int vocabularySize)
    {
        size = vocabularySize;
        foreach (string word in corpus.SelectMany(Words))
        {
            if (!ids.ContainsKey(word) && ids.Count + 4 < size)
            {
                ids[word] = ids.Count + 4;
            }
        }
    }

    public int VocabularySize => size;

    public int PadTokenId => Pad;

    public static WordListTokenizer Load(string directory)
    {
        var lines = File.ReadAllLines(Path.Combine(directory, "vocab.txt"));
        return new WordListTokenizer(lines.Skip(1), int.Parse(lines[0], System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Save(string directory) =>
        EcgVision.Internal.AtomicFile.WriteAllText(
            Path.Combine(directory, "vocab.txt"),
            string.Join('\n', new[] { size.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(ids.OrderBy(p => p.Value).Select(p => p.Key))));

    public void Encode(IReadOnlyList<string> texts, int maxLength, Span<long> ids, Span<long> attentionMask)
    {
        ids[..(texts.Count * maxLength)].Clear();
        attentionMask[..(texts.Count * maxLength)].Clear();
        for (int t = 0; t < texts.Count; t++)
        {
            var row = ids.Slice(t * maxLength, maxLength);
            var mask = attentionMask.Slice(t * maxLength, maxLength);
            var words = Words(texts[t]).Take(maxLength - 2).ToArray();
            row[0] = Cls;
            for (int i = 0; i < words.Length; i++)
            {
                row[i + 1] = this.ids.TryGetValue(words[i], out int id) ? id : Unk;
            }

            row[words.Length + 1] = Sep;
            mask[..(words.Length + 2)].Fill(1);
        }
    }

    private static IEnumerable<string> Words(string text) =>
        text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}

internal static class TestModels
{
    public static EcgClipConfig Tiny { get; } = new()
    {
        Vision = new VisionTransformerConfig
        {
            ImageSize = 16, Channels = 2, PatchSize = 4, HiddenSize = 32, NumLayers = 1, NumHeads = 2, IntermediateSize = 64, Pooling = TokenPooling.Mean,
        },
        Text = new BertTextEncoderConfig
        {
            VocabularySize = 128, MaxPositions = 16, HiddenSize = 32, NumLayers = 1, NumHeads = 2, IntermediateSize = 64, Pooling = TokenPooling.Mean,
        },
        EmbeddingDim = 16,
    };

    public static EcgClipModel CreateModel(EcgClipConfig? config = null, int seed = 1)
    {
        torch.manual_seed(seed);
        return new EcgClipModel(config ?? Tiny);
    }

    public static string Report(int i) => $"sinus rhythm finding w{i} axis";

    /// <summary>
    /// Distinct simple images: channel 0 is cos θᵢ and channel 1 is sin θᵢ with θᵢ = 2π·i/37, plus a fixed faint
    /// random texture (seeded by the index) so no two images are related by a scale factor.
    /// </summary>
    public static float[] Image(int i, EcgClipConfig? config = null)
    {
        var v = (config ?? Tiny).Vision;
        var random = new Random(1000 + i);
        int plane = v.ImageSize * v.ImageSize;
        var image = new float[v.Channels * plane];
        double theta = 2 * Math.PI * i / 37;
        for (int k = 0; k < image.Length; k++)
        {
            int c = k / plane;
            double value = c % 2 == 0 ? Math.Cos(theta + c) : Math.Sin(theta + c);
            image[k] = (float)value + (0.6f * (random.NextSingle() - 0.5f));
        }

        return image;
    }

    public static InMemoryClipDataset Pairs(int count) =>
        new(Enumerable.Range(0, count).Select(i => new ClipSample(Image(i), Report(i))));

    public static WordListTokenizer Tokenizer(int count = 64) =>
        new(Enumerable.Range(0, count).Select(Report), Tiny.Text.VocabularySize);

    public static string TempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "ecgvision-torch-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
