using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using EcgVision.Torch.Clip;
using EcgVision.Torch.Native;
using EcgVision.Torch.Tokenization;
using TorchSharp;

namespace EcgVision.Benchmarks.Models;

/// <summary>
/// Embedding latency of <see cref="EcgEmbedder"/> on <see cref="EcgClipConfig.Micro"/> (ViT 3×96 at 3×64×64, BERT 2×128): one image,
/// a batch of 32 images, one report. 1 CPU thread, random weights.
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project benchmarks/EcgVision.Benchmarks -- --filter '*EcgEmbedder*'</c>.</remarks>
[Config(typeof(EmbedderConfig))]
public class EcgEmbedderBenchmarks
{
    private EcgClipModel model = null!;
    private EcgEmbedder embedder = null!;
    private float[] image = null!;
    private float[] batch = null!;
    private float[] destination = null!;

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureInitialized();
        torch.set_num_threads(1);
        torch.manual_seed(0);
        model = new EcgClipModel(EcgClipConfig.Micro);
        embedder = new EcgEmbedder(model, new HashedWordTokenizer(EcgClipConfig.Micro.Text.VocabularySize));
        var random = new Random(1);
        image = Enumerable.Range(0, embedder.ImageLength).Select(_ => random.NextSingle()).ToArray();
        batch = Enumerable.Range(0, 32).SelectMany(_ => image).ToArray();
        destination = new float[32 * embedder.EmbeddingDim];
    }

    [Benchmark(Baseline = true)]
    public void OneImage() => embedder.EmbedImage(image, destination);

    [Benchmark]
    public void BatchOf32Images() => embedder.EmbedImages(batch, 32, destination);

    [Benchmark]
    public float[] OneReport() => embedder.EmbedText("sinus rhythm with first degree av block and left axis deviation");

    [GlobalCleanup]
    public void Cleanup()
    {
        embedder.Dispose();
        model.Dispose();
    }

    /// <summary>Benchmark-only tokenizer: lower-case words hashed into the vocabulary (the real one is EcgVision.Torch.Tokenization's).</summary>
    private sealed class HashedWordTokenizer(int size) : IReportTokenizer
    {
        public int VocabularySize => size;

        public int PadTokenId => 0;

        public void Encode(IReadOnlyList<string> texts, int maxLength, Span<long> ids, Span<long> attentionMask)
        {
            ids[..(texts.Count * maxLength)].Clear();
            attentionMask[..(texts.Count * maxLength)].Clear();
            for (int t = 0; t < texts.Count; t++)
            {
                var words = texts[t].ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(maxLength - 2).ToArray();
                int o = t * maxLength;
                ids[o] = 1;
                for (int i = 0; i < words.Length; i++)
                {
                    uint h = 2166136261;
                    foreach (char c in words[i])
                    {
                        h = (h ^ c) * 16777619;
                    }

                    ids[o + i + 1] = 4 + (h % (uint)(size - 4));
                }

                ids[o + words.Length + 1] = 2;
                attentionMask.Slice(o, words.Length + 2).Fill(1);
            }
        }
    }

    private sealed class EmbedderConfig : BenchmarkDotNet.Configs.ManualConfig
    {
        public EmbedderConfig()
        {
            AddJob(Job.ShortRun.WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance));
            AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default);
        }
    }
}
