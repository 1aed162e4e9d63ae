// Fuzz harnesses for the clinical-format parsers (see docs/fuzzing.md).
//
//   EcgVision.Fuzz <target>                          AFL mode (SharpFuzz Fuzzer.Run; run under afl-fuzz after `sharpfuzz EcgVision.dll`)
//   EcgVision.Fuzz <target> --replay <file|folder>   run inputs once each (read / rejected); exit 1 on the first unexpected exception
//                                                    (use a non-instrumented build: instrumented code needs afl-fuzz's shared memory)
//   EcgVision.Fuzz <target> --mutate <seeds> <s>     coverage-less in-process mutation loop for <s> seconds (no AFL needed)
//
// Targets: aecg, muse, edf, scp, scp-resealed (CRCs recomputed after mutation so that mutants reach the section
// parsers), dicom, sierra, ecgfile (content detection + every reader), selftest (proves that crashes are caught). EcgFormatException is the documented failure
// of every reader and is expected; any other exception (IndexOutOfRange, NullReference, OutOfMemory, Overflow, …)
// is a crash, and a run longer than afl-fuzz's -t limit is a hang.
using System.Buffers.Binary;
using System.Diagnostics;
using EcgVision.Signals;
using EcgVision.Signals.Formats;
using SharpFuzz;

namespace EcgVision.Fuzz;

public static class Program
{
    public static readonly IReadOnlyDictionary<string, Action<Stream>> Targets = new Dictionary<string, Action<Stream>>(StringComparer.OrdinalIgnoreCase)
    {
        ["aecg"] = s => AecgReader.ReadDocument(s, "fuzz"),
        ["muse"] = s => MuseXmlReader.ReadDocument(s, "fuzz"),
        ["edf"] = s => EdfReader.Read(s, "fuzz"),
        ["scp"] = s => ScpEcgReader.ReadDocument(s, "fuzz"),
        ["scp-resealed"] = s => ScpEcgReader.ReadDocument(ScpReseal.Reseal(s), "fuzz"),
        ["dicom"] = s => DicomWaveformReader.ReadDocument(s, "fuzz"),
        ["sierra"] = s => PhilipsSierraXmlReader.ReadDocument(s, "fuzz"),
        ["ecgfile"] = s => EcgFile.ReadDocument(s, "fuzz"),

        // Checks the set-up itself: inputs starting with "!!" throw a non-format exception, which must show up as a crash.
        ["selftest"] = s =>
        {
            var copy = new MemoryStream();
            s.CopyTo(copy);
            copy.Position = 0;
            EcgFile.DetectFormat(copy); // runs instrumented library code, so afl-fuzz sees coverage
            if (copy.ReadByte() == '!' && copy.ReadByte() == '!')
            {
                throw new InvalidOperationException("selftest crash");
            }
        },
    };

    public static int Main(string[] args)
    {
        if (args.Length == 0 || !Targets.TryGetValue(args[0], out Action<Stream>? target))
        {
            Console.Error.WriteLine($"usage: EcgVision.Fuzz <{string.Join('|', Targets.Keys)}> [--replay <file|folder> | --mutate <seed folder> <seconds>]");
            return 2;
        }

        Action<Stream> guarded = s =>
        {
            try
            {
                target(s);
            }
            catch (EcgFormatException)
            {
                // Expected: the documented failure of every reader.
            }
        };

        if (args.Length >= 3 && args[1] == "--replay")
        {
            return Replay(target, args[2]);
        }

        if (args.Length >= 4 && args[1] == "--mutate")
        {
            return Mutate(guarded, args[0], args[2], TimeSpan.FromSeconds(double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture)));
        }

        Fuzzer.Run(guarded);
        return 0;
    }

    private static int Replay(Action<Stream> run, string path)
    {
        string[] files = Directory.Exists(path) ? Directory.GetFiles(path) : [path];
        foreach (string file in files)
        {
            try
            {
                run(new MemoryStream(File.ReadAllBytes(file)));
                Console.WriteLine($"read     {file}");
            }
            catch (EcgFormatException ex)
            {
                Console.WriteLine($"rejected {file}: {ex.Message}");
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"CRASH {file}: {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
                return 1;
            }
        }

        Console.WriteLine($"{files.Length} input(s) replayed without an unexpected exception.");
        return 0;
    }

    /// <summary>Coverage-less mutation loop: bit flips, byte sets, interesting integers, truncation, chunk duplication.</summary>
    private static int Mutate(Action<Stream> run, string target, string seedFolder, TimeSpan duration)
    {
        byte[][] seeds = [.. Directory.GetFiles(seedFolder).Select(File.ReadAllBytes)];
        var random = new Random(12345);
        var clock = Stopwatch.StartNew();
        long executions = 0, crashes = 0;
        string crashFolder = Path.Combine(Path.GetTempPath(), $"ecgvision-fuzz-crashes-{target}");
        int[] interesting = [0, 1, -1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, int.MaxValue, int.MinValue, 1_000_000_000];
        while (clock.Elapsed < duration)
        {
            byte[] input = (byte[])seeds[random.Next(seeds.Length)].Clone();
            int edits = 1 + random.Next(8);
            for (int e = 0; e < edits && input.Length > 0; e++)
            {
                int pos = random.Next(input.Length);
                switch (random.Next(5))
                {
                    case 0:
                        input[pos] ^= (byte)(1 << random.Next(8));
                        break;
                    case 1:
                        input[pos] = (byte)random.Next(256);
                        break;
                    case 2 when pos + 4 <= input.Length:
                        BinaryPrimitives.WriteInt32LittleEndian(input.AsSpan(pos), interesting[random.Next(interesting.Length)]);
                        break;
                    case 3:
                        input = input[..pos];
                        break;
                    default:
                        int len = Math.Min(random.Next(1, 64), input.Length - pos);
                        input = [.. input[..(pos + len)], .. input[pos..]];
                        break;
                }
            }

            executions++;
            try
            {
                run(new MemoryStream(input));
            }
            catch (Exception ex)
            {
                crashes++;
                Directory.CreateDirectory(crashFolder);
                string file = Path.Combine(crashFolder, $"crash-{executions}.bin");
                File.WriteAllBytes(file, input);
                Console.Error.WriteLine($"CRASH {file}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        Console.WriteLine($"{target}: {executions} executions in {clock.Elapsed.TotalSeconds:F0} s ({executions / clock.Elapsed.TotalSeconds:F0}/s), {crashes} crash(es)");
        return crashes == 0 ? 0 : 1;
    }
}

/// <summary>Recomputes the SCP-ECG file and section CRC-CCITTs so that mutated files get past the CRC checks.</summary>
internal static class ScpReseal
{
    public static Stream Reseal(Stream input)
    {
        using var copy = new MemoryStream();
        input.CopyTo(copy);
        byte[] f = copy.ToArray();
        if (f.Length >= 22)
        {
            long s0 = BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan(10));
            for (long p = 22; p + 10 <= Math.Min(6 + s0, f.Length); p += 10)
            {
                long length = BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan((int)p + 2));
                long index = BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan((int)p + 6));
                if (length >= 16 && index >= 1 && index - 1 + length <= f.Length)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan((int)index - 1), Crc(f.AsSpan((int)index + 1, (int)length - 2)));
                }
            }

            if (s0 >= 16 && 6 + s0 <= f.Length)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(6), Crc(f.AsSpan(8, (int)s0 - 2)));
            }

            BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(2), (uint)f.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(f, Crc(f.AsSpan(2)));
        }

        return new MemoryStream(f);
    }

    private static ushort Crc(ReadOnlySpan<byte> data)
    {
        ushort crc = 0xFFFF;
        foreach (byte b in data)
        {
            crc ^= (ushort)(b << 8);
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
            }
        }

        return crc;
    }
}
