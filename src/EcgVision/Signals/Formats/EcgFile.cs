using System.Text;
using EcgVision.Internal;

namespace EcgVision.Signals.Formats;

/// <summary>Reads a clinical ECG file whatever its format, detected from the content (never from the file name).</summary>
/// <remarks>
/// <para>
/// Detection (<see cref="DetectFormat(Stream)"/>): EDF/EDF+ by its header (<c>"0       "</c> then a numeric header size
/// at byte 184); DICOM by <c>DICM</c> at byte 128; XML by the root element: <c>AnnotatedECG</c> in
/// <c>urn:hl7-org:v3</c> → HL7 aECG, <c>RestingECG</c> → GE MUSE, <c>restingecgdata</c> → Philips Sierra; SCP-ECG by
/// section 0's <c>"SCPECG"</c> identifier at byte 16. Every recognised format is readable: HL7 aECG
/// (<see cref="AecgReader"/>), GE MUSE XML (<see cref="MuseXmlReader"/>), EDF/EDF+C (<see cref="EdfReader"/>), Philips
/// Sierra XML (<see cref="PhilipsSierraXmlReader"/>), DICOM waveforms (<see cref="DicomWaveformReader"/>) and SCP-ECG
/// (<see cref="ScpEcgReader"/>).
/// </para>
/// <para>
/// Security: XML is parsed with <c>DtdProcessing.Ignore</c> and no resolver (no external entity, DTD or schema is ever
/// opened, so XXE payloads fail as undeclared entities), documents over 256 MiB are refused, and every declared length
/// (MUSE byte counts, EDF record counts, SCP section and lead lengths, DICOM element lengths, XLI chunk sizes) is checked against the data present before anything is allocated.
/// </para>
/// </remarks>
public static class EcgFile
{
    /// <summary>Reads the rhythm strip of a clinical ECG file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The record (leads in mV, with the file's metadata).</returns>
    /// <exception cref="EcgFormatException">The format is not recognised or not supported, or the file is malformed.</exception>
    public static EcgRecord Read(string path) => ReadDocument(path).Rhythm;

    /// <summary>Reads the rhythm strip of a clinical ECG stream (not disposed).</summary>
    /// <param name="stream">The content; a non-seekable stream is buffered.</param>
    /// <param name="nameForMessages">A name for error messages and <see cref="EcgMetadata.Source"/>.</param>
    /// <returns>The record.</returns>
    /// <exception cref="EcgFormatException">The format is not recognised or not supported, or the content is malformed.</exception>
    public static EcgRecord Read(Stream stream, string? nameForMessages = null) => ReadDocument(stream, nameForMessages).Rhythm;

    /// <summary>Reads a clinical ECG file with its representative beats when the format has them.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The document.</returns>
    /// <exception cref="EcgFormatException">The format is not recognised or not supported, or the file is malformed.</exception>
    public static EcgDocument ReadDocument(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = File.OpenRead(path);
        return ReadDocument(stream, path);
    }

    /// <summary>Reads a clinical ECG stream (not disposed) with its representative beats when the format has them.</summary>
    /// <param name="stream">The content; a non-seekable stream is buffered.</param>
    /// <param name="nameForMessages">A name for error messages and <see cref="EcgMetadata.Source"/>.</param>
    /// <returns>The document.</returns>
    /// <exception cref="EcgFormatException">The format is not recognised or not supported, or the content is malformed.</exception>
    public static EcgDocument ReadDocument(Stream stream, string? nameForMessages = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string source = nameForMessages ?? "stream";
        stream = Seekable(stream);
        long start = stream.Position;
        EcgFileFormat format = DetectFormat(stream);
        stream.Position = start;
        return format switch
        {
            EcgFileFormat.HL7Aecg => AecgReader.ReadDocument(stream, source),
            EcgFileFormat.GeMuseXml => MuseXmlReader.ReadDocument(stream, source),
            EcgFileFormat.Edf => new EcgDocument(EdfReader.Read(stream, source), null, EcgFileFormat.Edf),
            EcgFileFormat.ScpEcg => ScpEcgReader.ReadDocument(stream, source),
            EcgFileFormat.Dicom => DicomWaveformReader.ReadDocument(stream, source),
            EcgFileFormat.PhilipsSierraXml => PhilipsSierraXmlReader.ReadDocument(stream, source),
            _ => throw new EcgFormatException("the content is not a recognised ECG format (expected HL7 aECG XML, GE MUSE XML, Philips Sierra XML, EDF/EDF+, DICOM waveform or SCP-ECG).", source, "format"),
        };
    }

    /// <summary>Detects the format from the content; the stream position is restored.</summary>
    /// <param name="stream">A seekable stream.</param>
    /// <returns>The format, or <see cref="EcgFileFormat.Unknown"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot seek.</exception>
    public static EcgFileFormat DetectFormat(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("stream must be seekable to detect its format (got a non-seekable stream).", nameof(stream));
        }

        long start = stream.Position;
        try
        {
            var head = new byte[256];
            int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            ReadOnlySpan<byte> h = head.AsSpan(0, n);
            if (n >= 192 && h.StartsWith("0       "u8) && int.TryParse(System.Text.Encoding.ASCII.GetString(head, 184, 8).Trim(), out _))
            {
                return EcgFileFormat.Edf;
            }

            if (n >= 132 && h.Slice(128, 4).SequenceEqual("DICM"u8))
            {
                return EcgFileFormat.Dicom;
            }

            if (n >= 22 && h.Slice(16, 6).SequenceEqual("SCPECG"u8))
            {
                return EcgFileFormat.ScpEcg;
            }

            stream.Position = start;
            return SafeXml.TryReadRoot(stream) switch
            {
                ("AnnotatedECG", AecgReader.Namespace) => EcgFileFormat.HL7Aecg,
                ("RestingECG", "") => EcgFileFormat.GeMuseXml,
                ("restingecgdata", _) => EcgFileFormat.PhilipsSierraXml,
                _ => EcgFileFormat.Unknown,
            };
        }
        finally
        {
            stream.Position = start;
        }
    }

    private static Stream Seekable(Stream stream)
    {
        if (stream.CanSeek)
        {
            return stream;
        }

        var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }
}
