using System.Xml;
using System.Xml.Linq;
using EcgVision.Signals;

namespace EcgVision.Internal;

/// <summary>Loads untrusted XML safely: no DTD processing, no external resolution, bounded size.</summary>
/// <remarks>
/// <c>DtdProcessing.Ignore</c> rather than <c>Prohibit</c>: GE MUSE exports declare <c>&lt;!DOCTYPE RestingECG SYSTEM "restecg.dtd"&gt;</c>
/// without shipping the DTD, and Prohibit rejects any DOCTYPE. With Ignore the DOCTYPE (and any internal subset with
/// entity declarations) is skipped, so an entity reference such as <c>&amp;xxe;</c> is an undeclared entity and fails;
/// <c>XmlResolver = null</c> makes sure nothing outside the stream is ever opened.
/// </remarks>
internal static class SafeXml
{
    /// <summary>Largest XML document read, in bytes (and characters).</summary>
    public const long MaxDocumentBytes = 256L << 20;

    public static XmlReaderSettings Settings { get; } = new()
    {
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        MaxCharactersInDocument = MaxDocumentBytes,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };

    public static XDocument Load(Stream stream, string source)
    {
        if (stream.CanSeek && stream.Length - stream.Position > MaxDocumentBytes)
        {
            throw new EcgFormatException($"the document is {stream.Length - stream.Position} bytes; XML ECG files are read up to {MaxDocumentBytes} bytes.", source, "file size");
        }

        try
        {
            using var reader = XmlReader.Create(stream, Settings);
            return XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException ex)
        {
            throw new EcgFormatException($"the file is not well-formed XML (line {ex.LineNumber}, position {ex.LinePosition}): {ex.Message}", source, "XML", ex);
        }
        catch (System.Text.DecoderFallbackException ex)
        {
            throw new EcgFormatException($"the file holds bytes that are invalid in its declared encoding: {ex.Message}", source, "XML encoding", ex);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            // .NET's XmlTextReaderImpl.SwitchEncoding computes a negative copy length when the XML declaration holds bytes
            // that are invalid in the initial (UTF-8) decoding before an encoding="..." attribute (a fuzz find, docs/fuzzing.md).
            throw new EcgFormatException($"the XML declaration cannot be decoded (bytes invalid in UTF-8 before its encoding attribute): {ex.Message}", source, "XML encoding", ex);
        }
    }

    /// <summary>The root element's local name and namespace, read without loading the document; null when not XML.</summary>
    public static (string LocalName, string Namespace)? TryReadRoot(Stream stream)
    {
        try
        {
            using var reader = XmlReader.Create(stream, Settings);
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    return (reader.LocalName, reader.NamespaceURI);
                }
            }
        }
        catch (XmlException)
        {
        }
        catch (System.Text.DecoderFallbackException)
        {
        }
        catch (ArgumentOutOfRangeException)
        {
            // XmlTextReaderImpl.SwitchEncoding on a declaration with invalid bytes (see Load): not readable XML.
        }

        return null;
    }
}
