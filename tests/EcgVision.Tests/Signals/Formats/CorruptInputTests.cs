using CsCheck;
using EcgVision.Signals;
using EcgVision.Signals.Formats;
using EcgVision.Testing;

namespace EcgVision.Tests.Signals.Formats;

/// <summary>Randomly damaged sample files must fail with <see cref="EcgFormatException"/> (or read), never with another exception.</summary>
public class CorruptInputTests
{
    [SharedDataTheory(FormatSamples.Folder)]
    [InlineData("hl7-aecg/fda_minimum_aecg.xml", 1882)]
    [InlineData("edf/wfdb_test_generator_2.edf", 3328)]
    public void Read_RandomByteDamage_ReadsOrThrowsEcgFormatException(string file, int damageWithin)
    {
        byte[] original = FormatSamples.Bytes(file);
        var damage = Gen.Select(Gen.Int[0, damageWithin - 1], Gen.Byte).Array[1, 4];

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
