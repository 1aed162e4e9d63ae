using EcgVision.Encoding;
using EcgVision.Imaging.Rendering;
using EcgVision.Signals;
using EcgVision.Signals.Synthetic;
using EcgVision.Torch.CaseRetrieval;

namespace EcgVision.Torch.Tests.CaseRetrieval;

/// <summary>A tiny system with a signal view and a printed-ECG (<see cref="PrintoutImageSource"/>) view, trained once.</summary>
public sealed class PrintoutSystemFixture : IDisposable
{
    public PrintoutSystemFixture()
    {
        var records = SyntheticEcgCorpus.Generate(30, seed: 11).Select(e => e.Record).ToArray();
        Archive = records.Take(26).ToArray();
        Queries = records.Skip(26).ToArray();
        System = new EcgCaseRetrievalSystem(new MultiLeadImageSource(16, 16), TrainedSystemFixture.TinyOptions());
        System.AddView("printout", new PrintoutImageSource(new PrintoutImageSourceOptions { Size = 16, Augmentation = PrintoutAugmentation.Fast }), PrintoutViewOptions);
        System.Train(Archive);
        System.IndexCases(Archive);
    }

    public static CaseRetrievalViewOptions PrintoutViewOptions { get; } = new()
    {
        Model = TrainedSystemFixture.TinyOptions().Model! is var m ? m with { Vision = m.Vision with { Channels = 1 } } : null,
    };

    public IReadOnlyList<EcgRecord> Archive { get; }

    public IReadOnlyList<EcgRecord> Queries { get; }

    public EcgCaseRetrievalSystem System { get; }

    public void Dispose() => System.Dispose();
}

[Collection("Torch")]
public sealed class PrintoutViewTests(PrintoutSystemFixture fixture) : IClassFixture<PrintoutSystemFixture>, IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("ecgvision-printoutview-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public void SaveLoad_PrintoutView_AnswersPhotoFromFileAndStreamWithSortedCases()
    {
        string photo = Path.Combine(temp, "photo.png");
        var page = new PaperEcgRenderer(new PaperEcgRenderOptions { Dpi = 60, ShowHeader = false }).Render(fixture.Queries[0]);
        new PaperEcgAugmenter().Augment(page, seed: 99).SavePng(photo);
        string folder = Path.Combine(temp, "system");
        fixture.System.Save(folder);

        using var loaded = EcgCaseRetrievalSystem.Load(folder);
        var fromFile = loaded.Search(photo, k: 4, ImageQueryRoute.ImageView);
        using var stream = File.OpenRead(photo);
        var fromStream = loaded.SearchImage(stream, k: 4, ImageQueryRoute.ImageView);

        loaded.ViewNames.Should().Equal("signal", "printout");
        loaded.GetSource("printout").Should().BeOfType<PrintoutImageSource>().Which.Options.Augmentation.Should().Be(PrintoutAugmentation.Fast);
        fromFile.View.Should().Be("printout");
        fromFile.Cases.Should().HaveCount(4);
        fromFile.Cases.Select(c => c.Score).Should().BeInDescendingOrder();
        fromFile.Cases.Should().OnlyContain(c => fixture.Archive.Any(r => r.Metadata.Id == c.Id) && !string.IsNullOrEmpty(c.Report));
        fromStream.Cases.Select(c => c.Id).Should().Equal(fromFile.Cases.Select(c => c.Id));
        using var original = File.OpenRead(photo);
        fixture.System.SearchImage(original, k: 4, ImageQueryRoute.ImageView).Cases.Select(c => c.Id).Should().Equal(fromFile.Cases.Select(c => c.Id));
    }

    [Fact]
    public void EncodeImage_NotAnImage_ThrowsInvalidDataException()
    {
        var source = new PrintoutImageSource(new PrintoutImageSourceOptions { Size = 16 });
        using var garbage = new MemoryStream("not a png"u8.ToArray());

        var act = () => source.EncodeImage(garbage, new float[source.ImageLength]);

        act.Should().Throw<InvalidDataException>();
    }

    [Fact]
    public void EvaluateImageView_HeldOut_ReportsPrecisionAndOverlapInRange()
    {
        var result = CaseRetrievalEvaluator.EvaluateImageView(fixture.System, fixture.Queries, "printout", 2_000_000_001, new CaseEvaluationOptions { K = 5 });

        result.QueryCount.Should().Be(fixture.Queries.Count);
        result.MeanTopKOverlap.Should().BeInRange(0, 1);
        result.Photo.PrecisionAtK.Should().BeInRange(0, 1);
        result.Signal.PrecisionAtK.Should().BeInRange(0, 1);
        var act = () => CaseRetrievalEvaluator.EvaluateImageView(fixture.System, fixture.Queries, "signal", 1);
        act.Should().Throw<ArgumentException>().WithMessage("*'signal'*cannot embed images*");
    }

    [Fact]
    public void Train_QueryView_TrainsOnAugmentedCopiesWithDistinctSeedsAndIndexesCleanImages()
    {
        var records = SyntheticEcgCorpus.Generate(8, seed: 5).Select(e => e.Record).ToArray();
        var spy = new SeedRecordingSource();
        using var system = new EcgCaseRetrievalSystem(new MultiLeadImageSource(16, 16), TrainedSystemFixture.TinyOptions());
        system.AddView("photo", spy, PrintoutSystemFixture.PrintoutViewOptions with { AugmentedCopies = 2, Epochs = 1 });

        system.Train(records);
        var trainingSeeds = spy.Seeds.ToArray();
        system.IndexCases(records);

        trainingSeeds.Should().HaveCount(16).And.OnlyHaveUniqueItems().And.NotContainNulls();
        trainingSeeds.Should().BeEquivalentTo(Enumerable.Range(0, 2).SelectMany(copy => Enumerable.Range(0, 8)
            .Select(i => (int?)EcgCaseRetrievalSystem.TrainingAugmentationSeed(3, 1, copy, i))));
        spy.Seeds.Skip(16).Should().HaveCount(8).And.OnlyContain(s => s == null);
    }

    [Theory]
    [InlineData(0, null, null, "Epochs")]
    [InlineData(null, 17, null, "AugmentedCopies")]
    [InlineData(null, null, 1, "MaxTrainingRecords")]
    public void AddView_OptionOutOfRange_ThrowsNamingIt(int? epochs, int? copies, int? maxRecords, string name)
    {
        using var system = new EcgCaseRetrievalSystem(new MultiLeadImageSource(16, 16), TrainedSystemFixture.TinyOptions());

        var act = () => system.AddView("photo", new SeedRecordingSource(), new CaseRetrievalViewOptions { Epochs = epochs, AugmentedCopies = copies, MaxTrainingRecords = maxRecords });

        act.Should().Throw<ArgumentException>().WithMessage($"*options.{name}*'photo'*");
    }

    /// <summary>A 1×16×16 query source that records the augmentation seed of every Encode call.</summary>
    private sealed class SeedRecordingSource : IEcgImageQuerySource
    {
        private readonly object gate = new();

        public List<int?> Seeds { get; } = [];

        public EcgImageSourceDescriptor Descriptor { get; } = new("spy", 16);

        public (int Channels, int Height, int Width) Shape => (1, 16, 16);

        public void Encode(EcgRecord record, Span<float> destination, int? augmentationSeed = null)
        {
            lock (gate)
            {
                Seeds.Add(augmentationSeed);
            }

            destination.Slice(0, 256).Fill(((augmentationSeed ?? 0) % 7) + record.GetLead(0)[10]);
        }

        public void EncodeImage(Stream image, Span<float> destination) => destination.Slice(0, 256).Fill(1);
    }
}
