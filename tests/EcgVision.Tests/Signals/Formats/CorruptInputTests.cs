using CsCheck;
using EcgVision.Signals;
using EcgVision.Signals.Formats;
using EcgVision.Testing;

namespace EcgVision.Tests.Signals.Formats;

/// <summary>Randomly damaged sample files must fail with <see cref="EcgFormatException"/> (or read), never with another exception.</summary>
public class CorruptInputTests
{
    [SharedDataTheory(FormatSamples.Folder)]
    [InlineData("hl7-aecg/fda_minimum_aecg.xml")]
    [InlineData("edf/wfdb_test_generator_2.edf")]
    [InlineData("scp-ecg/ecgtoolkit_example.scp")]
    [InlineData("dicom-ecg/ecgtoolkit_example.dcm")]
    [InlineData("philips-sierra-xml/129DYPRG.XML")]
    public void Read_RandomByteDamage_ReadsOrThrowsEcgFormatException(string file)
    {
        byte[] original = FormatSamples.Bytes(file);
        if (file.EndsWith(".edf", StringComparison.Ordinal))
        {
            // Keep the header and 5 of the 600 one-second records (11 × 200 + 51 samples each) so that 150 reads stay fast.
            original = original[..(3328 + (5 * 4502))];
            "5       "u8.CopyTo(original.AsSpan(236));
            EdfReader.Read(new MemoryStream(original), "small.edf").SampleCount.Should().Be(1000);
        }

        var damage = Gen.Select(Gen.Int[0, original.Length - 1], Gen.Byte).Array[1, 4];

        damage.Sample(edits =>
        {
            byte[] bytes = (byte[])original.Clone();
            foreach (var (pos, value) in edits)
            {
                bytes[pos] = value;
            }

            try
            {
                EcgFile.Read(new MemoryStream(bytes), "damaged");
            }
            catch (EcgFormatException)
            {
            }
        }, iter: 150, threads: 1);
    }
}
