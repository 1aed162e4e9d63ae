using EcgVision.Torch.Clip;
using EcgVision.Torch.Text;
using EcgVision.Torch.Vision;
using TorchSharp;

namespace EcgVision.Torch.Tests.Clip;

/// <summary>Corrupt checkpoints found by the <c>checkpoint</c> fuzz target (docs/fuzzing.md, third round) and their neighbours.</summary>
[Collection("Torch")]
public class EcgClipCheckpointRobustnessTests
{
    private static string SaveTiny()
    {
        string dir = Path.Combine(TestModels.TempDirectory(), "ckpt");
        using var model = TestModels.CreateModel(seed: 5);
        EcgClipCheckpoint.Save(dir, model);
        return dir;
    }

    private static void WriteLeb128(BinaryWriter w, long value)
    {
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            w.Write(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
    }

    /// <summary>Writes the state_dict of <paramref name="model"/> in TorchSharp's save format, entry by entry as given.</summary>
    private static byte[] Weights(EcgClipModel model, Func<IList<KeyValuePair<string, torch.Tensor>>, IList<KeyValuePair<string, torch.Tensor>>> edit)
    {
        var entries = edit([.. model.state_dict()]);
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            WriteLeb128(w, entries.Count);
            foreach (var (key, tensor) in entries)
            {
                w.Write(key);
                WriteLeb128(w, (long)tensor.dtype);
                WriteLeb128(w, tensor.shape.Length);
                foreach (long d in tensor.shape)
                {
                    WriteLeb128(w, d);
                }

                w.Write(tensor.bytes);
            }
        }

        return stream.ToArray();
    }

    [Fact]
    public void LoadModel_WeightsWrittenEntryByEntry_LoadsThem()
    {
        string dir = SaveTiny();
        using var source = TestModels.CreateModel(seed: 11);
        File.WriteAllBytes(Path.Combine(dir, EcgClipCheckpoint.WeightsFileName), Weights(source, e => e));

        using var loaded = EcgClipCheckpoint.LoadModel(dir);

        (loaded.state_dict()["text_projection.weight"] - source.state_dict()["text_projection.weight"]).abs().max().item<float>().Should().Be(0f);
    }

    [Theory]
    [InlineData(1L << 40)] // was: OverflowException inside TorchSharp, wrapped
    [InlineData(2_147_483_647L)] // TorchSharp allocates new long[rank] before comparing it
    [InlineData(100_000_000L)] // was: 800 MB allocated for a few bytes of input, then EndOfStreamException
    public void LoadModel_HugeDeclaredRank_ThrowsInvalidDataNamingEntry(long rank)
    {
        string dir = SaveTiny();
        using var model = TestModels.CreateModel();
        string key = model.state_dict().Keys.First();
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            WriteLeb128(w, model.state_dict().Count);
            w.Write(key);
            WriteLeb128(w, (long)torch.ScalarType.Float32);
            WriteLeb128(w, rank);
        }

        // Padded so that the parameter-count check passes and the stream itself is what gets rejected.
        File.WriteAllBytes(Path.Combine(dir, EcgClipCheckpoint.WeightsFileName), [.. stream.ToArray(), .. new byte[200_000]]);

        var act = () => EcgClipCheckpoint.LoadModel(dir);

        act.Should().Throw<InvalidDataException>().WithMessage($"*model.bin*entry 0 ('{key}')*rank must be*got {rank}*");
    }

    [Fact]
    public void LoadModel_WeightsRepeatAnEntry_ThrowsInvalidDataInsteadOfKeepingRandomValues()
    {
        string dir = SaveTiny();
        using var model = TestModels.CreateModel();
        byte[] weights = Weights(model, e => [.. e.Take(1), e[0], .. e.Skip(2)]); // entry 1 replaced by entry 0: same count
        File.WriteAllBytes(Path.Combine(dir, EcgClipCheckpoint.WeightsFileName), weights);

        var act = () => EcgClipCheckpoint.LoadModel(dir);

        act.Should().Throw<InvalidDataException>().WithMessage("*entry 1*appears twice*");
    }

    [Fact]
    public void LoadModel_ConfigDeclaresModelLargerThanWeights_ThrowsInvalidDataBeforeBuildingIt()
    {
        string dir = SaveTiny();
        string config = Path.Combine(dir, EcgClipCheckpoint.ConfigFileName);
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"vocabularySize\": 128", "\"vocabularySize\": 2000000000", StringComparison.Ordinal));

        var act = () => EcgClipCheckpoint.LoadModel(dir);

        act.Should().Throw<InvalidDataException>().WithMessage("*model.bin*do not match config.json*parameters*holds only*bytes*");
    }

    [Fact]
    public void LoadModel_TrailingBytes_ThrowsInvalidData()
    {
        string dir = SaveTiny();
        string weights = Path.Combine(dir, EcgClipCheckpoint.WeightsFileName);
        File.WriteAllBytes(weights, [.. File.ReadAllBytes(weights), 1, 2, 3]);

        var act = () => EcgClipCheckpoint.LoadModel(dir);

        act.Should().Throw<InvalidDataException>().WithMessage("*3 unexpected trailing bytes*");
    }

    [Theory]
    [InlineData("[1, 2]")] // a fuzz find: JsonNode's string indexer threw InvalidOperationException
    [InlineData("5")]
    [InlineData("\"model\"")]
    public void ReadConfig_RootNotAnObject_ThrowsInvalidDataNamingFile(string json)
    {
        string dir = SaveTiny();
        File.WriteAllText(Path.Combine(dir, EcgClipCheckpoint.ConfigFileName), json);

        var read = () => EcgClipCheckpoint.ReadConfig(dir);
        var load = () => EcgClipCheckpoint.LoadModel(dir);

        read.Should().Throw<InvalidDataException>().WithMessage("*config.json*must be a JSON object*");
        load.Should().Throw<InvalidDataException>().WithMessage("*config.json*must be a JSON object*");
    }

    [Theory]
    [InlineData("root")] // the third round's two afl-fuzz crashes (minimised): JsonObject's lazy dictionary threw ArgumentException
    [InlineData("nested")]
    public void ReadConfig_DuplicatePropertyName_ThrowsInvalidDataNamingFile(string where)
    {
        string dir = SaveTiny();
        string config = Path.Combine(dir, EcgClipCheckpoint.ConfigFileName);
        string json = File.ReadAllText(config);
        json = where == "root"
            ? json.Replace("\"training\": null", "\"training\": null, \"training\": null", StringComparison.Ordinal)
            : json.Replace("\"embeddingDim\": 16", "\"embeddingDim\": 16, \"embeddingDim\": 16", StringComparison.Ordinal);
        File.WriteAllText(config, json);

        var read = () => EcgClipCheckpoint.ReadConfig(dir);
        var load = () => EcgClipCheckpoint.LoadModel(dir);

        read.Should().Throw<InvalidDataException>().WithMessage("*config.json*not valid JSON*");
        load.Should().Throw<InvalidDataException>().WithMessage("*config.json*not valid JSON*");
    }

    public static TheoryData<string> Configs() => ["tiny", "micro", "no-token-types"];

    [Theory]
    [MemberData(nameof(Configs))]
    public void CountParameters_MatchesTheBuiltModel(string name)
    {
        var config = name switch
        {
            "tiny" => TestModels.Tiny,
            "micro" => EcgClipConfig.Micro with
            {
                Text = BertTextEncoderConfig.Mini with { VocabularySize = 300 },
                Vision = VisionTransformerConfig.Micro with { Channels = 5, NumLayers = 2 },
            },
            _ => TestModels.Tiny with { Text = TestModels.Tiny.Text with { TypeVocabularySize = 0, NumLayers = 3, IntermediateSize = 24 } },
        };
        using var model = new EcgClipModel(config);

        long actual = model.state_dict().Values.Sum(t => t.numel());

        EcgClipCheckpoint.CountParameters(config).Should().Be((Int128)actual);
    }
}
