using System.Diagnostics;
using EcgVision.Torch.Clip;
using TorchSharp;

namespace EcgVision.Torch.Tests.Clip;

[Collection("Torch")]
public class EcgEmbedderTests
{
    [Fact]
    public void EmbedImages_BatchEqualsSingleCalls_AndRowsAreUnit()
    {
        using var model = TestModels.CreateModel();
        using var embedder = new EcgEmbedder(model, TestModels.Tokenizer());
        var batch = embedder.EmbedImages([TestModels.Image(1), TestModels.Image(2)]);
        batch[1].Should().BeEquivalentTo(embedder.EmbedImage(TestModels.Image(2)), o => o.Using<float>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-5f)).WhenTypeIs<float>());
        Math.Sqrt(batch[0].Sum(v => (double)v * v)).Should().BeApproximately(1, 1e-5);
        embedder.EmbedTexts([TestModels.Report(0), TestModels.Report(1)]).Should().HaveCount(2).And.OnlyContain(e => e.Length == 16);
    }

    [Fact]
    public void EmbedText_ReportLongerThanMaxLength_IsTruncated()
    {
        using var model = TestModels.CreateModel();
        using var embedder = new EcgEmbedder(model, TestModels.Tokenizer(), maxTextLength: 8);
        string[] words = Enumerable.Range(0, 40).Select(i => $"w{i}").ToArray();
        var full = embedder.EmbedText(string.Join(' ', words));
        var kept = embedder.EmbedText(string.Join(' ', words.Take(6))); // 8 tokens = [CLS] + 6 words + [SEP]
        full.Should().Equal(kept);
    }

    [Theory]
    [InlineData(2 * 16 * 16 - 1)]
    [InlineData(3 * 16 * 16)]
    [InlineData(2 * 32 * 32)]
    public void EmbedImage_WrongSizeOrChannels_Throws(int length)
    {
        using var model = TestModels.CreateModel();
        using var embedder = new EcgEmbedder(model, TestModels.Tokenizer());
        var act = () => embedder.EmbedImage(new float[length]);
        act.Should().Throw<ArgumentException>().WithParameterName("images").WithMessage($"*[2, 16, 16] = 512 floats but got {length}*");
    }

    [Fact]
    public void EmbedImage_ShortDestination_Throws()
    {
        using var model = TestModels.CreateModel();
        using var embedder = new EcgEmbedder(model, TestModels.Tokenizer());
        var act = () => embedder.EmbedImage(TestModels.Image(0), new float[15]);
        act.Should().Throw<ArgumentException>().WithParameterName("destination");
    }

    [Fact]
    public void Embed_TenThousandCalls_LeaksNoTensorsOrNativeMemory()
    {
        using var model = TestModels.CreateModel();
        using var embedder = new EcgEmbedder(model, TestModels.Tokenizer());
        float[] image = TestModels.Image(7);
        var destination = new float[16];
        for (int i = 0; i < 2_000; i++)
        {
            embedder.EmbedImage(image, destination); // warm-up: allocator pools, JIT
        }

        long liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        long Run(int calls)
        {
            for (int i = 0; i < calls; i++)
            {
                embedder.EmbedImage(image, destination);
                if (i % 10 == 0)
                {
                    embedder.EmbedText("sinus rhythm");
                }
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            return Process.GetCurrentProcess().WorkingSet64;
        }

        // A leak grows linearly; allocator and GC warm-up does not. Compare two equal windows (10,000 calls in all).
        long rssFirst = Run(5_000);
        long rssSecond = Run(5_000);
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(liveBefore, "every tensor of a call dies in its scope");
        (rssSecond - rssFirst).Should().BeLessThan(16L << 20, "5,000 leaked activations and inputs would add well over 50 MB");
    }
}
