using EcgVision.Signals;
using EcgVision.Signals.Formats;

namespace EcgVision.Tests.Signals.Formats;

/// <summary>
/// The third fuzzing round's <c>muse</c> find (docs/fuzzing.md), minimised: bytes that are not UTF-8 inside the XML
/// declaration, then an <c>encoding</c> that makes .NET's XmlReader switch decoders. XmlTextReaderImpl.SwitchEncoding then
/// throws ArgumentOutOfRangeException (a negative Buffer.BlockCopy count) instead of an XmlException.
/// </summary>
public class XmlDeclarationEncodingTests
{
    private static byte[] Input(int invalidBytes) =>
        [.. "<?xml version=\"1.0"u8.ToArray(), .. Enumerable.Repeat((byte)0x91, invalidBytes), .. "\" encoding=\"ISO-8859-1\"?><a/>"u8.ToArray()];

    public static TheoryData<string, int> Readers() => new()
    {
        { "muse", 10 }, { "muse", 1000 }, { "aecg", 10 }, { "sierra", 10 }, { "ecgfile", 10 },
    };

    [Theory]
    [MemberData(nameof(Readers))]
    public void ReadDocument_InvalidBytesBeforeDeclaredEncoding_ThrowsEcgFormatException(string reader, int invalidBytes)
    {
        var stream = new MemoryStream(Input(invalidBytes));
        Action act = reader switch
        {
            "muse" => () => MuseXmlReader.ReadDocument(stream, "fuzz.xml"),
            "aecg" => () => AecgReader.ReadDocument(stream, "fuzz.xml"),
            "sierra" => () => PhilipsSierraXmlReader.ReadDocument(stream, "fuzz.xml"),
            _ => () => EcgFile.ReadDocument(stream, "fuzz.xml"),
        };

        act.Should().Throw<EcgFormatException>().WithMessage("*fuzz.xml*");
    }

    [Fact]
    public void DetectFormat_InvalidBytesBeforeDeclaredEncoding_DoesNotThrow()
    {
        var act = () => EcgFile.DetectFormat(new MemoryStream(Input(10)));

        act.Should().NotThrow();
    }
}
