using EcgVision.Torch.Clip;

namespace EcgVision.Torch.Tests.Clip;

[Collection("Torch")]
public class EcgClipCheckpointTests
{
    private static string SaveTiny(out float[] imageEmbedding, out float[] textEmbedding)
    {
        string dir = Path.Combine(TestModels.TempDirectory(), "ckpt");
        using var model = TestModels.CreateModel(seed: 5);
        var tokenizer = TestModels.Tokenizer();
        using var embedder = new EcgEmbedder(model, tokenizer);
        imageEmbedding = embedder.EmbedImage(TestModels.Image(3));
        textEmbedding = embedder.EmbedText(TestModels.Report(3));
        EcgClipCheckpoint.Save(dir, model, tokenizer);
        return dir;
    }

    [Fact]
    public void SaveLoad_RoundTrip_GivesIdenticalEmbeddings()
    {
        string dir = SaveTiny(out var image, out var text);
        using var loaded = EcgEmbedder.Load(dir, WordListTokenizer.Load);
        loaded.EmbedImage(TestModels.Image(3)).Should().Equal(image);
        loaded.EmbedText(TestModels.Report(3)).Should().Equal(text);
        EcgClipCheckpoint.ReadConfig(dir).Should().BeEquivalentTo(TestModels.Tiny);
        EcgClipCheckpoint.ReadMetadata(dir).HasTokenizer.Should().BeTrue();
        Directory.GetDirectories(Path.GetDirectoryName(dir)!).Should().ContainSingle("no temporary folders are left behind");
    }

    [Fact]
    public void Save_OverExistingCheckpoint_ReplacesIt()
    {
        string dir = SaveTiny(out _, out _);
        using var other = TestModels.CreateModel(seed: 9);
        EcgClipCheckpoint.Save(dir, other);
        using var loaded = EcgClipCheckpoint.LoadModel(dir);
        (loaded.state_dict()["text_projection.weight"] - other.state_dict()["text_projection.weight"]).abs().max().item<float>().Should().Be(0f);
        Directory.Exists(Path.Combine(dir, EcgClipCheckpoint.TokenizerFolderName)).Should().BeFalse();
    }

    [Fact]
    public void LoadModel_MissingWeights_ThrowsFileNotFound()
    {
        string dir = SaveTiny(out _, out _);
        File.Delete(Path.Combine(dir, EcgClipCheckpoint.WeightsFileName));
        var act = () => EcgClipCheckpoint.LoadModel(dir);
        act.Should().Throw<FileNotFoundException>().WithMessage($"*'{dir}' has no model.bin*");
    }

    [Fact]
    public void LoadModel_TruncatedWeights_ThrowsInvalidData()
    {
        string dir = SaveTiny(out _, out _);
        string weights = Path.Combine(dir, EcgClipCheckpoint.WeightsFileName);
        byte[] bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var act = () => EcgClipCheckpoint.LoadModel(dir);
        act.Should().Throw<InvalidDataException>().WithMessage("*model.bin*truncated*");
    }

    [Fact]
    public void LoadModel_ConfigDoesNotMatchWeights_ThrowsInvalidData()
    {
        string dir = SaveTiny(out _, out _);
        string config = Path.Combine(dir, EcgClipCheckpoint.ConfigFileName);
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"embeddingDim\": 16", "\"embeddingDim\": 24", StringComparison.Ordinal));
        EcgClipCheckpoint.ReadConfig(dir).EmbeddingDim.Should().Be(24);
        var act = () => EcgClipCheckpoint.LoadModel(dir);
        act.Should().Throw<InvalidDataException>().WithMessage("*do not match config.json*");
    }

    [Fact]
    public void LoadModel_MissingFolder_ThrowsDirectoryNotFound()
    {
        var act = () => EcgClipCheckpoint.LoadModel("/nonexistent/ecg-ckpt");
        act.Should().Throw<DirectoryNotFoundException>().WithMessage("*'/nonexistent/ecg-ckpt'*");
    }
}
