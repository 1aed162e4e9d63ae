using System.Text;
using EcgVision.Signals;
using EcgVision.Signals.Formats;
using EcgVision.Testing;

namespace EcgVision.Tests.Signals.Formats;

public class EdfReaderTests
{
    private const string Wfdb = "edf/wfdb_test_generator_2.edf";
    private const string Pyedflib = "edf/pyedflib_test_generator.edf";

    [SharedDataFact(FormatSamples.Folder + "/edf")]
    public void Read_WfdbGenerator_SelectsTheEcgChannelAt200HzFor600s()
    {
        EcgRecord r = EdfReader.Read(FormatSamples.Path(Wfdb));

        r.LeadNames.Should().Equal("ECG");
        r.SamplingRate.Should().Be(200);
        r.Duration.Should().Be(TimeSpan.FromSeconds(600));
        r.SampleCount.Should().Be(120_000);
        // Physical range ±1000 uV → ±1 mV.
        r.Samples.ToArray().Should().OnlyContain(v => v >= -1.0001f && v <= 1.0001f);
        r.Metadata.Comments.Should().Contain(c => c.Contains("RECORD START"));
        r.Metadata.AcquisitionTime.Should().Be(new DateTimeOffset(2009, 12, 10, 12, 44, 2, TimeSpan.Zero));
    }

    [SharedDataFact(FormatSamples.Folder + "/edf")]
    public void Read_PyedflibGenerator_HasNoEcgSoThrowsListingLabels()
    {
        var act = () => EdfReader.Read(FormatSamples.Path(Pyedflib));

        act.Should().Throw<EcgFormatException>().WithMessage("*no ECG signal found*'squarewave'*");
    }

    [SharedDataFact(FormatSamples.Folder + "/edf")]
    public void Read_AllSignals_Reads11SignalsAt200HzFor600sAndEdfPlusMetadata()
    {
        EcgRecord r = EdfReader.Read(FormatSamples.Path(Pyedflib), new EdfReaderOptions { AllSignals = true });

        r.LeadCount.Should().Be(11);
        r.LeadNames.Should().NotContain("EDF Annotations");
        r.SamplingRate.Should().Be(200);
        r.Duration.Should().Be(TimeSpan.FromSeconds(600));
        r.Metadata.Sex.Should().Be(Sex.Male);
        r.Metadata.PatientId.Should().Be("abcxyz99");
        r.Metadata.Age.Should().Be(41); // born 30-JUN-1969, recorded 04-APR-2011
        r.Metadata.AcquisitionTime.Should().Be(new DateTimeOffset(2011, 4, 4, 12, 57, 2, TimeSpan.Zero));
        r.Metadata.Comments.Should().Contain(c => c.Contains("Recording starts"));
    }

    [SharedDataFact(FormatSamples.Folder + "/edf")]
    public void Read_ExplicitChannels_ReadsThemInOrderAndScalesDigitalToPhysical()
    {
        EcgRecord r = EdfReader.Read(FormatSamples.Path(Pyedflib), new EdfReaderOptions { Channels = ["ramp", "SQUAREWAVE"] });

        r.LeadNames.Should().Equal("ramp", "squarewave");
        float[] square = r.GetLead("squarewave").ToArray();
        square.Max().Should().BeApproximately(0.1f, 0.002f, "the generator's square wave is ±100 uV");
        square.Min().Should().BeApproximately(-0.1f, 0.002f);
    }

    [SharedDataFact(FormatSamples.Folder + "/edf")]
    public void Read_UnknownChannel_Throws()
    {
        var act = () => EdfReader.Read(FormatSamples.Path(Pyedflib), new EdfReaderOptions { Channels = ["V1"] });

        act.Should().Throw<EcgFormatException>().WithMessage("*no signal is labelled 'V1'*");
    }

    [Fact]
    public void Read_EmptyChannelList_Throws()
    {
        var act = () => EdfReader.Read(new MemoryStream(new byte[256]), "x.edf", new EdfReaderOptions { Channels = [] });

        act.Should().Throw<ArgumentException>().WithParameterName("options").WithMessage("*empty list*");
    }

    [SharedDataFact(FormatSamples.Folder + "/edf")]
    public void Read_BillionRecordsDeclared_ThrowsBeforeAllocating()
    {
        byte[] bytes = FormatSamples.Bytes(Wfdb);
        System.Text.Encoding.ASCII.GetBytes("999999999"[..8]).CopyTo(bytes, 236);

        var act = () => EdfReader.Read(new MemoryStream(bytes), "big.edf");

        act.Should().Throw<EcgFormatException>().WithMessage("big.edf: the header declares 99999999 data records*truncated or the header is wrong*")
            .Which.Field.Should().Be("number of data records");
    }

    [SharedDataFact(FormatSamples.Folder + "/edf")]
    public void Read_WrongHeaderSize_Throws()
    {
        byte[] bytes = FormatSamples.Bytes(Wfdb);
        System.Text.Encoding.ASCII.GetBytes("3072    ").CopyTo(bytes, 184);

        var act = () => EdfReader.Read(new MemoryStream(bytes), "h.edf");

        act.Should().Throw<EcgFormatException>().WithMessage("*256 × (signals + 1) = 3328 bytes (got 3072)*");
    }

    [SharedDataFact(FormatSamples.Folder + "/edf")]
    public void Read_Discontinuous_IsRejected()
    {
        byte[] bytes = FormatSamples.Bytes(Wfdb);
        System.Text.Encoding.ASCII.GetBytes("EDF+D").CopyTo(bytes, 192);

        var act = () => EdfReader.Read(new MemoryStream(bytes), "d.edf");

        act.Should().Throw<EcgFormatException>().WithMessage("*EDF+D*not supported*");
    }
}
