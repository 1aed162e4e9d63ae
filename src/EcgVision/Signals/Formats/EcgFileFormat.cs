namespace EcgVision.Signals.Formats;

/// <summary>The clinical ECG file formats <see cref="EcgFile"/> recognises.</summary>
public enum EcgFileFormat
{
    /// <summary>Not recognised.</summary>
    Unknown = 0,

    /// <summary>HL7 v3 annotated ECG XML (<c>AnnotatedECG</c>, namespace <c>urn:hl7-org:v3</c>), as submitted to the FDA.</summary>
    HL7Aecg,

    /// <summary>GE MUSE XML export (<c>RestingECG</c>).</summary>
    GeMuseXml,

    /// <summary>European Data Format, EDF or EDF+ (continuous).</summary>
    Edf,

    /// <summary>Philips Sierra ECG XML (<c>restingecgdata</c>), versions 1.03–1.04.01, XLI-compressed or not.</summary>
    PhilipsSierraXml,

    /// <summary>DICOM Part 10 waveform storage (12-lead and general ECG).</summary>
    Dicom,

    /// <summary>SCP-ECG (EN 1064 / ISO 11073-91064), recognised by its section-0 header.</summary>
    ScpEcg,
}

/// <summary>What a clinical ECG file holds: the rhythm strip and, when the file has them, representative (median) beats.</summary>
/// <param name="Rhythm">The continuous recording, leads in millivolts, with the file's demographics, statements and measurements in <see cref="EcgRecord.Metadata"/>.</param>
/// <param name="RepresentativeBeats">The representative or median beat per lead (HL7 aECG <c>REPRESENTATIVE_BEAT</c>, MUSE <c>Median</c>), or <see langword="null"/>.</param>
/// <param name="Format">The format the file was read as.</param>
public sealed record EcgDocument(EcgRecord Rhythm, EcgRecord? RepresentativeBeats, EcgFileFormat Format);
