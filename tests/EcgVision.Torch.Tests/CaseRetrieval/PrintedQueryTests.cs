using EcgVision.Encoding;
using EcgVision.Imaging.Rendering;
using EcgVision.Retrieval;
using EcgVision.Signals;
using EcgVision.Signals.Synthetic;
using EcgVision.Torch.CaseRetrieval;
using EcgVision.Torch.Clip;
using EcgVision.Torch.Text;
using EcgVision.Torch.Vision;

namespace EcgVision.Torch.Tests.CaseRetrieval;

/// <summary>A small trained system over the Qiu source, the one the digitiser route works with.</summary>
public sealed class QiuSystemFixture() : SyntheticSystemFixture(
    SyntheticEcgCorpus.Generate(48, seed: 11, new SyntheticCorpusOptions { Ecg = new SyntheticEcgOptions { SamplingRate = 100 } }).Select(e => e.Record).ToArray(),
    new QiuImageSource(32, QiuBeatSelection.PrintedLayout), Options())
{
    public static EcgCaseRetrievalOptions Options() => TrainedSystemFixture.TinyOptions() with
    {
        Model = TrainedSystemFixture.TinyOptions().Model! with
        {
            Vision = TrainedSystemFixture.TinyOptions().Model!.Vision with { ImageSize = 32, PatchSize = 8 },
        },
    };
}

[Collection("Torch")]
public sealed class PrintedQueryTests(QiuSystemFixture fixture) : IClassFixture<QiuSystemFixture>
{
    private static readonly PaperEcgRenderOptions s_print = new PrintedQueryEvaluationOptions().Render;

    private static byte[] Photo(EcgRecord record, int seed, PaperEcgAugmentationOptions? augmentation) =>
        new PaperEcgRenderer(s_print with { Augmentation = augmentation }).Render(record.ToStandardTwelveLead(), seed).EncodePng();

    [Fact]
    public void SearchImage_CleanPrintoutOfAnArchivedCase_IsDigitisedAndFindsThatCaseFirst()
    {
        var archived = fixture.Archive[3];

        var result = fixture.System.SearchImage(new MemoryStream(Photo(archived, 0, null)), k: 5);

        result.View.Should().Be(EcgCaseRetrievalSystem.SignalView);
        result.Digitization.Should().NotBeNull();
        result.Digitization!.Record.LeadCount.Should().Be(12);
        result.Cases[0].Id.Should().Be(archived.Metadata.Id, "the digitised printout of an archived ECG is nearest to that ECG itself");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SearchImage_PhotoOfAHeldOutEcg_SharesMostOfTheSignalQuerysCases(int seed)
    {
        var query = fixture.Queries[seed];
        var bySignal = fixture.System.Search(query, k: 10);

        var byPhoto = fixture.System.SearchImage(new MemoryStream(Photo(query, seed, PaperEcgAugmentationOptions.Default)), k: 10);

        byPhoto.Digitization.Should().NotBeNull();
        byPhoto.Cases.Select(c => c.Id).Intersect(bySignal.Cases.Select(c => c.Id)).Count().Should().BeGreaterThanOrEqualTo(5,
            "a photo digitised back to a signal retrieves mostly the cases its signal retrieves");
    }

    [Fact]
    public void SearchPath_PhotoFile_GoesThroughTheDigitiser()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("ecgvision-printed-").FullName, "photo.png");
        File.WriteAllBytes(path, Photo(fixture.Queries[0], 5, PaperEcgAugmentationOptions.Default));

        var result = fixture.System.Search(path, 3);

        result.Digitization.Should().NotBeNull();
        result.Cases.Should().HaveCount(3);
        File.Exists(path).Should().BeTrue("the query file is only read");
    }

    [Fact]
    public void EvaluatePrintedQueries_DigitisesEveryPhotoAndKeepsPrecisionNearTheSignals()
    {
        var evaluation = CaseRetrievalEvaluator.EvaluatePrintedQueries(fixture.System, fixture.Queries,
            new PrintedQueryEvaluationOptions { Evaluation = new CaseEvaluationOptions { K = 5 }, MaxDegreeOfParallelism = 2 });

        evaluation.QueryCount.Should().Be(fixture.Queries.Count);
        evaluation.Digitized.Should().Be(fixture.Queries.Count, string.Join(" | ", evaluation.Failures));
        evaluation.MeanLeadCorrelation.Should().BeGreaterThan(0.8);
        evaluation.MeanTopKOverlap.Should().BeGreaterThan(0.5);
        evaluation.Photo.PrecisionAtK.Should().BeGreaterThan(evaluation.Signal.PrecisionAtK - 0.2);
    }

    [Fact]
    public void SearchImage_NotAnImage_NoImageView_ThrowsEcgFormatExceptionNamingTheSource()
    {
        var act = () => fixture.System.SearchImage(new MemoryStream([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]));

        act.Should().Throw<EcgFormatException>().WithMessage("*query image*");
    }

    [Fact]
    public void SearchImage_FlatLinePage_NoImageView_ThrowsAnExplicitError()
    {
        var flat = EcgRecord.FromLeads(Enumerable.Range(0, 12).Select(_ => new float[1000]).ToArray(), 100);

        var act = () => fixture.System.SearchImage(new MemoryStream(Photo(flat, 0, null)));

        act.Should().Throw<Exception>().Which.Should().Match<Exception>(e => e is EcgFormatException || e is InvalidOperationException,
            "a flat-line page either cannot be digitised or holds no beat to encode; either way the error is explicit, never a wrong answer");
    }

    [Fact]
    public void SearchImage_ImageViewRoute_WithoutImageView_ThrowsNamingTheViews()
    {
        var act = () => fixture.System.SearchImage(new MemoryStream(Photo(fixture.Queries[0], 0, null)), route: ImageQueryRoute.ImageView);

        act.Should().Throw<InvalidOperationException>().WithMessage("*IEcgImageQuerySource*'signal' (qiu)*");
    }

    [Fact]
    public void SearchImage_DigitiserTurnedOff_NoImageView_ThrowsSayingSo()
    {
        using var system = new EcgCaseRetrievalSystem(new QiuImageSource(32), QiuSystemFixture.Options() with { Digitizer = null });

        var act = () => system.SearchImage(new MemoryStream(Photo(fixture.Queries[0], 0, null)));

        act.Should().Throw<InvalidOperationException>().WithMessage("*digitising is turned off*");
        system.Digitizer.Should().BeNull();
    }

    [Fact]
    public void SearchImage_MultiLeadSignalView_ExplainsThatItCannotEncodeADigitisedPrintout()
    {
        using var system = new EcgCaseRetrievalSystem(new MultiLeadImageSource(16, 16), TrainedSystemFixture.TinyOptions());
        system.Train(fixture.Archive.Take(20));
        system.IndexCases(fixture.Archive.Take(20));

        var act = () => system.SearchImage(new MemoryStream(Photo(fixture.Queries[0], 0, null)), route: ImageQueryRoute.Digitize);

        act.Should().Throw<InvalidOperationException>().WithMessage("*'multilead' image source cannot encode the digitised printout*");
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Constructor_MinimumDigitizationConfidenceOutOfRange_Throws(double value)
    {
        var act = () => new EcgCaseRetrievalSystem(new QiuImageSource(32), QiuSystemFixture.Options() with { MinimumDigitizationConfidence = value });

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("options.MinimumDigitizationConfidence");
    }

    [Fact]
    public void Registry_QiuPrintedLayoutDescriptor_RoundTrips_AndRejectsAnUnknownSetting()
    {
        var source = new QiuImageSource(32, QiuBeatSelection.PrintedLayout);

        var again = EcgImageSourceRegistry.Create(source.Descriptor);
        var bad = () => EcgImageSourceRegistry.Create(source.Descriptor with { Settings = new Dictionary<string, string> { [QiuImageSource.BeatsSetting] = "Sometimes" } });

        again.Should().BeOfType<QiuImageSource>().Which.BeatSelection.Should().Be(QiuBeatSelection.PrintedLayout);
        bad.Should().Throw<InvalidDataException>().WithMessage("*beats*Sometimes*");
    }

    [Fact]
    public void SearchPrintout_RenderedPage_EqualsSearchingItsPng()
    {
        var page = new PaperEcgRenderer(s_print).Render(fixture.Queries[1].ToStandardTwelveLead());

        var inMemory = fixture.System.SearchPrintout(page, k: 5);
        var fromPng = fixture.System.SearchImage(new MemoryStream(page.EncodePng()), k: 5, route: ImageQueryRoute.Digitize);

        inMemory.Digitization.Should().NotBeNull();
        inMemory.Cases.Select(c => c.Id).Should().Equal(fromPng.Cases.Select(c => c.Id), "a PNG is lossless, so both read the same pixels");
    }
}
