using EcgVision.Signals;
using EcgVision.Signals.Formats;
using EcgVision.Testing;

namespace EcgVision.Tests.Signals.Formats;

/// <summary>The same ECG stored in several formats must read to the same leads, sample for sample.</summary>
public class CrossFormatTests
{
    private const string Aecg = "hl7-aecg/hl7_example_aecg.xml";

    /// <summary>One quantisation step of the HL7 example (2.5 µV) in mV.</summary>
    private const float Step = 0.0025f;

    public static void ShouldMatchSampleForSample(EcgRecord actual, EcgRecord expected, float tolerance, int? samples = null)
    {
        actual.SamplingRate.Should().Be(expected.SamplingRate);
        actual.LeadNames.Should().BeEquivalentTo(expected.LeadNames);
        int n = samples ?? expected.SampleCount;
        if (samples is null)
        {
            actual.SampleCount.Should().Be(expected.SampleCount);
        }

        foreach (string lead in expected.LeadNames)
        {
            float[] a = actual.GetLead(lead)[..n].ToArray(), e = expected.GetLead(lead)[..n].ToArray();
            int worst = 0;
            for (int k = 1; k < n; k++)
            {
                if (Math.Abs(a[k] - e[k]) > Math.Abs(a[worst] - e[worst]))
                {
                    worst = k;
                }
            }

            Math.Abs(a[worst] - e[worst]).Should().BeLessThanOrEqualTo(tolerance, "lead {0} sample {1}: {2} vs {3} mV", lead, worst, a[worst], e[worst]);
        }
    }

    [SharedDataFact(FormatSamples.Folder)]
    public void ScpAndAecg_Hl7Example_AgreeSampleForSample()
    {
        EcgDocument aecg = EcgFile.ReadDocument(FormatSamples.Path(Aecg));
        EcgDocument scp = EcgFile.ReadDocument(FormatSamples.Path("scp-ecg/ecgtoolkit_example.scp"));

        ShouldMatchSampleForSample(scp.Rhythm, aecg.Rhythm, Step / 2);
        ShouldMatchSampleForSample(scp.RepresentativeBeats!, aecg.RepresentativeBeats!, Step / 2);
    }

    [SharedDataFact(FormatSamples.Folder)]
    public void DicomAndAecg_Hl7Example_AgreeSampleForSample()
    {
        EcgDocument aecg = EcgFile.ReadDocument(FormatSamples.Path(Aecg));
        EcgDocument dicom = EcgFile.ReadDocument(FormatSamples.Path("dicom-ecg/ecgtoolkit_example.dcm"));

        dicom.Format.Should().Be(EcgFileFormat.Dicom);
        ShouldMatchSampleForSample(dicom.Rhythm, aecg.Rhythm, Step / 2);
        ShouldMatchSampleForSample(dicom.RepresentativeBeats!, aecg.RepresentativeBeats!, Step / 2, samples: 599);
    }

    [SharedDataFact(FormatSamples.Folder)]
    public void DicomAndScp_Hl7Example_AgreeSampleForSample()
    {
        EcgRecord dicom = EcgFile.Read(FormatSamples.Path("dicom-ecg/ecgtoolkit_example.dcm"));
        EcgRecord scp = EcgFile.Read(FormatSamples.Path("scp-ecg/ecgtoolkit_example.scp"));

        ShouldMatchSampleForSample(dicom, scp, Step / 2);
    }

    [SharedDataFact(FormatSamples.Folder)]
    public void SierraAndConvertedAecg_PhilipsPair_AgreeSampleForSample()
    {
        EcgDocument sierra = EcgFile.ReadDocument(FormatSamples.Path("philips-sierra-xml/ad4d3d80-d165_1-04_orig.xml"));
        EcgDocument aecg = EcgFile.ReadDocument(FormatSamples.Path("hl7-aecg/philips_pagewriter_ad4d3d80-d165_converted.xml"));

        sierra.Format.Should().Be(EcgFileFormat.PhilipsSierraXml);

        // Both at 5 µV. The converted aECG is not bit-identical (it differs by up to ±4 steps, zero-mean, in every
        // lead, V1–V6 included, which XLI stores verbatim: the converter filtered). Limb leads rebuilt from the XLI
        // residuals must still agree within 4 steps (20 µV) and on average within one step; a wrong
        // reconstruction or delta decoding is off by whole millivolts.
        ShouldMatchSampleForSample(sierra.Rhythm, aecg.Rhythm, 4 * 0.005f + 1e-5f);
        foreach (string lead in StandardLeads.TwelveLead)
        {
            float[] a = sierra.Rhythm.GetLead(lead).ToArray(), e = aecg.Rhythm.GetLead(lead).ToArray();
            a.Zip(e, (x, y) => Math.Abs(x - y)).Average().Should().BeLessThan(0.005f, "lead {0} on average", lead);
        }
    }
}
