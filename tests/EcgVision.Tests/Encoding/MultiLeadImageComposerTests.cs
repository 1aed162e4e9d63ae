using EcgVision.Encoding;
using EcgVision.Signals;

namespace EcgVision.Tests.Encoding;

public sealed class MultiLeadImageComposerTests
{
    private static float[] Leads(int leadCount, int samples, int seed = 1)
    {
        var data = new float[leadCount * samples];
        for (int l = 0; l < leadCount; l++)
        {
            ScalarOracle.RandomWalk(samples, seed * 100 + l).CopyTo(data, l * samples);
        }

        return data;
    }

    private static EcgRecord Record(int samples = 1000, int seed = 1) =>
        new(Leads(12, samples, seed), 100, StandardLeads.TwelveLead);

    private static IEcgImageEncoder EncoderFor(ImageEncodingMethod method, int size) => method switch
    {
        ImageEncodingMethod.GramianAngularSummationField => new GramianAngularFieldEncoder(new() { ImageSize = size }),
        ImageEncodingMethod.GramianAngularDifferenceField => new GramianAngularFieldEncoder(new() { ImageSize = size, Method = GramianAngularFieldMethod.Difference }),
        ImageEncodingMethod.MarkovTransitionField => new MarkovTransitionFieldEncoder(new() { ImageSize = size, ThrowOnConstantSignal = false }),
        _ => new RecurrencePlotEncoder(new() { ImageSize = size }),
    };

    [Fact]
    public void Encode_Tiled_PlacesLeadsColumnMajorInThreeByFour()
    {
        var options = new MultiLeadImageOptions { ImageSize = 16, OutputSize = null };
        var composer = new MultiLeadImageComposer(options);
        float[] leads = Leads(12, 200);
        composer.GetOutputShape(12, 200).Should().Be((3, 48, 64));
        float[] image = new float[3 * 48 * 64];
        composer.Encode(leads, 12, image);

        for (int m = 0; m < 3; m++)
        {
            var encoder = EncoderFor(options.Methods[m], 16);
            for (int l = 0; l < 12; l++)
            {
                float[] tile = encoder.Encode(leads.AsSpan(l * 200, 200));
                int row0 = l % 3 * 16, col0 = l / 3 * 16; // column c holds leads 3c..3c+2
                for (int y = 0; y < 16; y++)
                {
                    image.AsSpan(m * 48 * 64 + (row0 + y) * 64 + col0, 16).ToArray().Should().Equal(tile.AsSpan(y * 16, 16).ToArray(), $"method {m} lead {l} row {y}");
                }
            }
        }
    }

    [Fact]
    public void Encode_Tiled_ResizesTheCanvasBilinearly()
    {
        float[] leads = Leads(12, 300);
        var native = new MultiLeadImageComposer(new() { ImageSize = 20, OutputSize = null });
        var resized = new MultiLeadImageComposer(new() { ImageSize = 20, OutputSize = 32 });
        float[] canvas = new float[3 * 60 * 80];
        native.Encode(leads, 12, canvas);
        float[] expected = ImageResize.Bilinear(canvas, 3, 60, 80, 32, 32);
        float[] actual = new float[3 * 32 * 32];
        resized.Encode(leads, 12, actual);
        actual.Should().Equal(expected);
    }

    [Fact]
    public void Encode_ChannelPerLead_IsMethodMajor()
    {
        ImageEncodingMethod[] methods = [ImageEncodingMethod.GramianAngularDifferenceField, ImageEncodingMethod.RecurrencePlot];
        var composer = new MultiLeadImageComposer(new() { Methods = methods, Layout = MultiLeadLayout.ChannelPerLead, ImageSize = 12, OutputSize = null });
        float[] leads = Leads(3, 50);
        composer.GetOutputShape(3, 50).Should().Be((6, 12, 12));
        float[] image = new float[6 * 144];
        composer.Encode(leads, 3, image);
        for (int m = 0; m < 2; m++)
        {
            for (int l = 0; l < 3; l++)
            {
                image.AsSpan((m * 3 + l) * 144, 144).ToArray().Should().Equal(EncoderFor(methods[m], 12).Encode(leads.AsSpan(l * 50, 50)));
            }
        }
    }

    [Fact]
    public void Encode_Concatenated_EncodesTheJoinedSignalOnce()
    {
        var composer = new MultiLeadImageComposer(new() { Layout = MultiLeadLayout.Concatenated, ImageSize = 64, OutputSize = null });
        float[] leads = Leads(12, 100);
        float[] image = new float[3 * 64 * 64];
        composer.Encode(leads, 12, image);
        image.AsSpan(0, 4096).ToArray().Should().Equal(EncoderFor(ImageEncodingMethod.GramianAngularSummationField, 64).Encode(leads));
        image.AsSpan(2 * 4096, 4096).ToArray().Should().Equal(EncoderFor(ImageEncodingMethod.MarkovTransitionField, 64).Encode(leads));
    }

    [Fact]
    public void Encode_Record_ReordersStandardLeads()
    {
        EcgRecord standard = Record(500);
        string[] shuffled = ["V6", "I", "aVR", "II", "V1", "III", "aVL", "aVF", "V2", "V3", "V4", "V5"];
        EcgRecord reordered = standard.SelectLeads(shuffled);
        var composer = new MultiLeadImageComposer(new() { ImageSize = 32 });
        composer.Encode(reordered).Should().Equal(composer.Encode(standard));
        composer.Encode(standard).Should().HaveCount(3 * 224 * 224);
    }

    [Fact]
    public void Encode_ThousandSampleLead_To224WithoutFullResolution()
    {
        var composer = new MultiLeadImageComposer(new() { ImageSize = 224, Layout = MultiLeadLayout.ChannelPerLead, OutputSize = null });
        composer.GetOutputShape(12, 1000).Should().Be((36, 224, 224));
        composer.Encode(Record()).Should().HaveCount(36 * 224 * 224);
    }

    [Fact]
    public void EncodeBatch_MatchesSequentialEncoding_AndIsDeterministic()
    {
        var composer = new MultiLeadImageComposer(new() { ImageSize = 32, OutputSize = 48 });
        EcgRecord[] records = Enumerable.Range(0, 7).Select(i => Record(400, i + 1)).ToArray();
        int length = composer.GetOutputLength(12, 400);
        float[] batch = new float[records.Length * length];
        composer.EncodeBatch(records, batch);
        for (int i = 0; i < records.Length; i++)
        {
            batch.AsSpan(i * length, length).ToArray().Should().Equal(composer.Encode(records[i]));
        }

        float[] again = new float[batch.Length];
        composer.EncodeBatch(records, again, maxDegreeOfParallelism: 1);
        again.Should().Equal(batch);
    }

    [Fact]
    public void EncodeBatch_BadRecord_ThrowsUnwrapped()
    {
        var composer = new MultiLeadImageComposer(new() { ImageSize = 16 });
        float[] data = Leads(12, 100);
        data[5 * 100 + 42] = float.NaN;
        EcgRecord[] records = [Record(100), new EcgRecord(data, 100, StandardLeads.TwelveLead)];
        var act = () => composer.EncodeBatch(records, new float[2 * composer.GetOutputLength(12, 100)]);
        act.Should().Throw<ArgumentException>().WithParameterName("leads").WithMessage("*lead 5 sample 42*NaN*");
    }

    [Fact]
    public void EncodeBatch_MixedShapes_Throws()
    {
        var composer = new MultiLeadImageComposer(new() { ImageSize = 16 });
        var act = () => composer.EncodeBatch([Record(100), Record(120)], new float[10_000_000]);
        act.Should().Throw<ArgumentException>().WithParameterName("records").WithMessage("*records[1]*120*");
    }

    [Fact]
    public void Encode_ConstantLead_IsAccepted()
    {
        float[] leads = Leads(12, 100);
        leads.AsSpan(300, 100).Fill(0f);
        var composer = new MultiLeadImageComposer(new() { ImageSize = 20, OutputSize = null });
        float[] image = new float[composer.GetOutputLength(12, 100)];
        composer.Encode(leads, 12, image);
        image.Should().OnlyContain(v => float.IsFinite(v));
    }

    [Fact]
    public void Encode_ShortDestination_Throws()
    {
        var composer = new MultiLeadImageComposer(new() { ImageSize = 16 });
        var act = () => composer.Encode(Leads(12, 100), 12, new float[3 * 224 * 224 - 1]);
        act.Should().Throw<ArgumentException>().WithParameterName("destination");
    }

    [Theory]
    [InlineData(13, 100, 16, "*13 leads*12 tiles*")]
    [InlineData(12, 10, 16, "*signal length (10)*16*")]
    public void GetOutputShape_RejectsUnfittingRecords(int leads, int samples, int size, string message)
    {
        var act = () => new MultiLeadImageComposer(new() { ImageSize = size }).GetOutputShape(leads, samples);
        act.Should().Throw<ArgumentException>().WithMessage(message);
    }

    public static TheoryData<MultiLeadImageOptions, Type> BadOptions() => new()
    {
        { new() { Methods = [] }, typeof(ArgumentException) },
        { new() { Methods = [(ImageEncodingMethod)42] }, typeof(NotSupportedException) },
        { new() { Layout = (MultiLeadLayout)5 }, typeof(NotSupportedException) },
        { new() { ImageSize = 0 }, typeof(ArgumentOutOfRangeException) },
        { new() { OutputSize = 0 }, typeof(ArgumentOutOfRangeException) },
        { new() { TileRows = 0 }, typeof(ArgumentOutOfRangeException) },
        { new() { TileColumns = -1 }, typeof(ArgumentOutOfRangeException) },
        { new() { RecurrencePlot = new() { Dimension = 0 } }, typeof(ArgumentOutOfRangeException) },
        { new() { MarkovTransitionField = new() { BinCount = 1 } }, typeof(ArgumentOutOfRangeException) },
        { new() { GramianAngularField = null! }, typeof(ArgumentException) },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Constructor_RejectsBadOptions(MultiLeadImageOptions options, Type exception)
    {
        var act = () => new MultiLeadImageComposer(options);
        act.Should().Throw<Exception>().Which.Should().BeOfType(exception);
    }
}
