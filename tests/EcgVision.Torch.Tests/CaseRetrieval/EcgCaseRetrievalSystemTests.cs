using EcgVision.Encoding;
using EcgVision.Retrieval;
using EcgVision.Signals;
using EcgVision.Signals.Synthetic;
using EcgVision.Torch.CaseRetrieval;
using EcgVision.Torch.Clip;
using EcgVision.Torch.Text;
using EcgVision.Torch.Vision;

namespace EcgVision.Torch.Tests.CaseRetrieval;

/// <summary>A tiny system trained once on a few dozen seeded synthetic records, shared by the tests of a class.</summary>
public sealed class TrainedSystemFixture() : SyntheticSystemFixture(
    SyntheticEcgCorpus.Generate(48, seed: 7).Select(e => e.Record).ToArray(), new MultiLeadImageSource(16, 16), TinyOptions())
{
    public static EcgCaseRetrievalOptions TinyOptions() => new()
    {
        Model = EcgClipConfig.Micro with
        {
            Vision = VisionTransformerConfig.Micro with { ImageSize = 16, PatchSize = 4, HiddenSize = 32, NumLayers = 1, NumHeads = 2, IntermediateSize = 64 },
            Text = BertTextEncoderConfig.Mini with { HiddenSize = 32, NumLayers = 1, NumHeads = 2, IntermediateSize = 64, MaxPositions = 32 },
            EmbeddingDim = 16,
        },
        Training = new EcgCaseRetrievalOptions().Training with { Epochs = 1, BatchSize = 16, MaxTextLength = 32, Seed = 3, Threads = 1 },
        Vocabulary = new() { VocabularySize = 200, MinFrequency = 1 },
        EncodingParallelism = 1,
    };
}

/// <summary>A system trained on the first 40 of some records and indexed with them; the rest are held-out queries.</summary>
public abstract class SyntheticSystemFixture : IDisposable
{
    protected SyntheticSystemFixture(IReadOnlyList<EcgRecord> records, IEcgImageSource source, EcgCaseRetrievalOptions options)
    {
        Records = records;
        Archive = Records.Take(40).ToArray();
        Queries = Records.Skip(40).ToArray();
        System = new EcgCaseRetrievalSystem(source, options);
        System.Train(Archive);
        System.IndexCases(Archive);
    }

    public IReadOnlyList<EcgRecord> Records { get; }

    public IReadOnlyList<EcgRecord> Archive { get; }

    public IReadOnlyList<EcgRecord> Queries { get; }

    public EcgCaseRetrievalSystem System { get; }

    public void Dispose()
    {
        System.Dispose();
        GC.SuppressFinalize(this);
    }
}

[Collection("Torch")]
public sealed class EcgCaseRetrievalSystemTests(TrainedSystemFixture fixture) : IClassFixture<TrainedSystemFixture>, IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("ecgvision-caseretrieval-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public void Search_ReturnsKCasesSortedByScoreWithReports()
    {
        var result = fixture.System.Search(fixture.Queries[0], k: 5);

        result.View.Should().Be(EcgCaseRetrievalSystem.SignalView);
        result.Cases.Should().HaveCount(5);
        result.Cases.Select(c => c.Score).Should().BeInDescendingOrder();
        result.Cases.Should().OnlyContain(c => !string.IsNullOrWhiteSpace(c.Report) && c.Score >= -1f && c.Score <= 1f);
        result.Cases.Select(c => c.Id).Should().OnlyContain(id => fixture.Archive.Any(r => r.Metadata.Id == id));
        result.DraftReport.Disclaimer.Should().Be(ReportDrafter.Disclaimer);
        result.DraftReport.ClosestReport.Should().Be(result.Cases[0].Report);
    }

    [Fact]
    public void Search_ArchivedRecord_FindsItselfFirst()
    {
        var record = fixture.Archive[3];

        var result = fixture.System.Search(record, k: 3);

        result.Cases[0].Id.Should().Be(record.Metadata.Id);
        result.Cases[0].Score.Should().BeApproximately(1f, 1e-4f);
        fixture.System.Search(record, 3, RetrievalFilter<string>.Exclude([record.Metadata.Id!])).Cases.Should().NotContain(c => c.Id == record.Metadata.Id);
    }

    [Fact]
    public void SaveThenLoad_GivesIdenticalSearchResults()
    {
        string folder = Path.Combine(temp, "system");
        fixture.System.Save(folder);

        using var loaded = EcgCaseRetrievalSystem.Load(folder);

        loaded.IndexedCount.Should().Be(fixture.Archive.Count);
        loaded.ViewNames.Should().Equal(fixture.System.ViewNames);
        foreach (var query in fixture.Queries)
        {
            var expected = fixture.System.Search(query, 5);
            var actual = loaded.Search(query, 5);
            actual.Cases.Select(c => c.Id).Should().Equal(expected.Cases.Select(c => c.Id));
            actual.Cases.Select(c => c.Score).Should().Equal(expected.Cases.Select(c => c.Score));
            actual.Cases.Select(c => c.Report).Should().Equal(expected.Cases.Select(c => c.Report));
            actual.DraftReport.Statements.Should().BeEquivalentTo(expected.DraftReport.Statements);
        }
    }

    [Fact]
    public void Save_OverEarlierSave_ReplacesItAndLeavesNoTemporaryFolders()
    {
        string folder = Path.Combine(temp, "system");
        fixture.System.Save(folder);
        fixture.System.Save(folder);

        Directory.GetDirectories(temp).Should().Equal(folder);
        File.Exists(Path.Combine(folder, EcgCaseRetrievalSystem.ManifestFileName)).Should().BeTrue();
    }

    [Fact]
    public void Save_IntoForeignNonEmptyFolder_ThrowsAndKeepsItsFiles()
    {
        string folder = Path.Combine(temp, "user-data");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "mine");

        var act = () => fixture.System.Save(folder);

        act.Should().Throw<IOException>().WithMessage("*not a saved case-retrieval system*refusing*");
        File.ReadAllText(Path.Combine(folder, "notes.txt")).Should().Be("mine");
    }

    [Fact]
    public void SearchImage_WithoutImageView_ThrowsNamingTheViews()
    {
        using var png = new MemoryStream([0x89, 0x50, 0x4E, 0x47]);

        var act = () => fixture.System.SearchImage(png, route: ImageQueryRoute.ImageView);

        act.Should().Throw<InvalidOperationException>().WithMessage("*IEcgImageQuerySource*'signal' (multilead)*");
    }

    [Fact]
    public void SearchImage_NotAnImage_AutoRouteWithoutImageView_ThrowsEcgFormatException()
    {
        using var png = new MemoryStream([0x89, 0x50, 0x4E, 0x47]);

        var act = () => fixture.System.SearchImage(png);

        act.Should().Throw<EcgFormatException>();
    }

    [Fact]
    public void SearchPath_ImageFileWithoutImageView_ThrowsClearError()
    {
        string path = Path.Combine(temp, "photo.png");
        File.WriteAllBytes(path, [0x89, 0x50, 0x4E, 0x47]);

        var act = () => fixture.System.Search(path);

        act.Should().Throw<EcgFormatException>().WithMessage($"*{path}*", "the digitiser names the file it could not read");
    }

    [Fact]
    public void ImageView_RegisteredSource_AnswersImageQueriesAndSurvivesSaveLoad()
    {
        EcgImageSourceRegistry.Register(FakePhotoSource.Kind, d => new FakePhotoSource(d.Size));
        using var system = new EcgCaseRetrievalSystem(new MultiLeadImageSource(16, 16), TrainedSystemFixture.TinyOptions());
        system.AddView("printed", new FakePhotoSource(16));
        system.Train(fixture.Archive.Take(20));
        system.IndexCases(fixture.Archive.Take(20));
        string folder = Path.Combine(temp, "two-views");
        system.Save(folder);
        byte[] photo = [1, 2, 3, 4, 5];

        using var loaded = EcgCaseRetrievalSystem.Load(folder);
        var expected = system.SearchImage(new MemoryStream(photo), 3);
        var actual = loaded.SearchImage(new MemoryStream(photo), 3);

        loaded.ViewNames.Should().Equal("signal", "printed");
        actual.View.Should().Be("printed");
        actual.Cases.Should().HaveCount(3);
        actual.Cases.Select(c => c.Id).Should().Equal(expected.Cases.Select(c => c.Id));
    }

    [Fact]
    public void Train_EmptyCorpus_Throws()
    {
        using var system = new EcgCaseRetrievalSystem(new MultiLeadImageSource(16, 16), TrainedSystemFixture.TinyOptions());

        var act = () => system.Train([]);

        act.Should().Throw<ArgumentException>().WithParameterName("train").WithMessage("*at least 2 records*got 0*");
    }

    [Fact]
    public void Train_RecordWithoutReport_ThrowsNamingTheRecord()
    {
        using var system = new EcgCaseRetrievalSystem(new MultiLeadImageSource(16, 16), TrainedSystemFixture.TinyOptions());
        var bad = fixture.Archive[2].WithMetadata(fixture.Archive[2].Metadata with { Report = null, Id = "no-report" });

        var act = () => system.Train([fixture.Archive[0], fixture.Archive[1], bad]);

        act.Should().Throw<ArgumentException>().WithMessage("*train[2]*no-report*");
        system.IsTrained.Should().BeFalse();
    }

    [Fact]
    public void Search_BeforeTraining_ThrowsInvalidOperation()
    {
        using var system = new EcgCaseRetrievalSystem(new MultiLeadImageSource(16, 16), TrainedSystemFixture.TinyOptions());

        var act = () => system.Search(fixture.Queries[0]);

        act.Should().Throw<InvalidOperationException>().WithMessage("*no model yet*");
    }

    [Fact]
    public void Load_MissingFolder_ThrowsDirectoryNotFound()
    {
        var act = () => EcgCaseRetrievalSystem.Load(Path.Combine(temp, "absent"));

        act.Should().Throw<DirectoryNotFoundException>().WithMessage("*absent*does not exist*");
    }

    [Fact]
    public void Load_FolderWithoutManifest_ThrowsFileNotFound()
    {
        var act = () => EcgCaseRetrievalSystem.Load(temp);

        act.Should().Throw<FileNotFoundException>().WithMessage("*manifest.json*");
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("{\"format\":\"something-else\",\"version\":1,\"views\":[]}")]
    [InlineData("{\"format\":\"ecgvision-case-retrieval\",\"version\":99,\"views\":[]}")]
    [InlineData("{\"format\":\"ecgvision-case-retrieval\",\"version\":1,\"views\":[]}")]
    public void Load_CorruptManifest_ThrowsInvalidDataNamingIt(string manifest)
    {
        string folder = Path.Combine(temp, "system");
        fixture.System.Save(folder);
        File.WriteAllText(Path.Combine(folder, EcgCaseRetrievalSystem.ManifestFileName), manifest);

        var act = () => EcgCaseRetrievalSystem.Load(folder);

        act.Should().Throw<InvalidDataException>().WithMessage("*manifest.json*");
    }

    [Fact]
    public void Load_UnregisteredSourceKind_ThrowsNotSupported()
    {
        string folder = Path.Combine(temp, "system");
        fixture.System.Save(folder);
        string path = Path.Combine(folder, EcgCaseRetrievalSystem.ManifestFileName);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"multilead\"", "\"hologram\"", StringComparison.Ordinal));

        var act = () => EcgCaseRetrievalSystem.Load(folder);

        act.Should().Throw<NotSupportedException>().WithMessage("*hologram*Register*");
    }

    /// <summary>Saves the fixture's system and applies <paramref name="edit"/> to its manifest (fuzz finds, docs/fuzzing.md third round).</summary>
    private string SaveWithManifest(Action<System.Text.Json.Nodes.JsonObject> edit)
    {
        string folder = Path.Combine(temp, "system");
        fixture.System.Save(folder);
        string path = Path.Combine(folder, EcgCaseRetrievalSystem.ManifestFileName);
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(manifest);
        File.WriteAllText(path, manifest.ToJsonString());
        return folder;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-7)]
    public void Load_ManifestSourceSizeRefusedBySource_ThrowsInvalidDataNamingView(int size)
    {
        string folder = SaveWithManifest(m => m["views"]![0]!["source"]!["size"] = size);

        var act = () => EcgCaseRetrievalSystem.Load(folder);

        act.Should().Throw<InvalidDataException>().WithMessage($"*manifest.json*view*unusable source*size {size}*");
    }

    [Fact]
    public void Load_ManifestRepeatsAViewName_ThrowsInvalidData()
    {
        string folder = SaveWithManifest(m =>
        {
            var views = m["views"]!.AsArray();
            views.Add(views[0]!.DeepClone());
        });

        var act = () => EcgCaseRetrievalSystem.Load(folder);

        act.Should().Throw<InvalidDataException>().WithMessage("*manifest.json*views[1]*already exists*");
    }

    [Fact]
    public void Load_ManifestMaxTextLengthOne_ThrowsInvalidData()
    {
        string folder = SaveWithManifest(m => m["maxTextLength"] = 1);

        var act = () => EcgCaseRetrievalSystem.Load(folder);

        act.Should().Throw<InvalidDataException>().WithMessage("*manifest.json*at least 2 tokens*maxTextLength 1*");
    }

    [Theory]
    [InlineData("tokenizer", "../outside")]
    [InlineData("tokenizer", "tok\u0000enizer")]
    [InlineData("model", "views/si\u0000gnal/model")]
    public void Load_ManifestPathOutsideFolderOrWithNul_ThrowsInvalidData(string field, string value)
    {
        value = System.Text.RegularExpressions.Regex.Unescape(value);
        string folder = SaveWithManifest(m =>
        {
            if (field == "tokenizer")
            {
                m["tokenizer"] = value;
            }
            else
            {
                m["views"]![0]!["model"] = value;
            }
        });

        var act = () => EcgCaseRetrievalSystem.Load(folder);

        act.Should().Throw<InvalidDataException>().WithMessage("*manifest.json*path*");
    }

    [Fact]
    public void Load_TokenizerLargerThanModelVocabulary_ThrowsInvalidData()
    {
        string folder = SaveWithManifest(_ => { });
        string vocab = Path.Combine(folder, "tokenizer", "vocab.txt");
        string config = Directory.GetFiles(folder, "config.json", SearchOption.AllDirectories)[0];
        int modelVocabulary = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(config))!["model"]!["text"]!["vocabularySize"]!.GetValue<int>();
        int lines = File.ReadAllLines(vocab).Length;
        File.AppendAllLines(vocab, Enumerable.Range(0, modelVocabulary - lines + 1).Select(i => $"extra{i}"));

        var act = () => EcgCaseRetrievalSystem.Load(folder);

        act.Should().Throw<InvalidDataException>().WithMessage($"*tokenizer {modelVocabulary + 1}, model {modelVocabulary}*");
    }

    [Fact]
    public void Evaluate_ReportsModelAndBothBaselines()
    {
        var evaluation = CaseRetrievalEvaluator.Evaluate(fixture.System, fixture.Archive, fixture.Queries, new CaseEvaluationOptions { K = 5 });

        evaluation.Rows.Select(r => r.Method).Should().Equal("model", "random model", "raw signal k-NN");
        evaluation.QueryCount.Should().Be(fixture.Queries.Count);
        evaluation.ArchiveCount.Should().Be(fixture.Archive.Count);
        foreach (var row in evaluation.Rows)
        {
            row.Label.PrecisionAtK.Should().BeInRange(0, 1);
            row.ReportOverlap.RougeL.Should().BeInRange(0, 1);
        }

        evaluation.Model.CrossModal!.ImageToText.RecallAt10.Should().BeInRange(0, 1);
        evaluation.RawSignal.CrossModal.Should().BeNull();
        evaluation.RawSignal.ZeroShot.Should().BeNull();
    }

    /// <summary>Stands in for the printed-ECG source: images from signals via multilead, photos hashed into a deterministic image.</summary>
    private sealed class FakePhotoSource(int size) : IEcgImageQuerySource
    {
        public const string Kind = "fake-photo";
        private readonly MultiLeadImageSource inner = new(size, size);

        public EcgImageSourceDescriptor Descriptor { get; } = new(Kind, size);

        public (int Channels, int Height, int Width) Shape => inner.Shape;

        public void Encode(EcgRecord record, Span<float> destination, int? augmentationSeed = null) => inner.Encode(record, destination, augmentationSeed);

        public void EncodeImage(Stream image, Span<float> destination)
        {
            var bytes = new MemoryStream();
            image.CopyTo(bytes);
            var random = new Random(bytes.ToArray().Sum(b => b));
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = (float)random.NextDouble();
            }
        }
    }
}
