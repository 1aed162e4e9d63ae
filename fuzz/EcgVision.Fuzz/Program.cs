// Fuzz harnesses for the clinical-format parsers (see docs/fuzzing.md).
//
//   EcgVision.Fuzz <target>                          AFL mode (SharpFuzz Fuzzer.Run; run under afl-fuzz after `sharpfuzz EcgVision.dll`)
//   EcgVision.Fuzz <target> --replay <file|folder>   run inputs once each (read / rejected); exit 1 on the first unexpected exception
//                                                    (use a non-instrumented build: instrumented code needs afl-fuzz's shared memory)
//   EcgVision.Fuzz <image|index|checkpoint> --make-seeds <dir>  write small generated seeds (PNG/JPEG images, saved indexes,
//                                                    a saved one-view system with a tiny model)
//   EcgVision.Fuzz <target> --mutate <seeds> <s>     coverage-less in-process mutation loop for <s> seconds (no AFL needed)
//
// Targets: aecg, muse, edf, scp, scp-resealed (CRCs recomputed after mutation so that mutants reach the section
// parsers), dicom, sierra, ecgfile (content detection + every reader), wfdb-header, wfdb (header and .dat split at
// "\n@@DAT@@\n"), ptbxl (ptbxl_database.csv), image (PNG/JPEG loader), index (CosineRetriever<long> file), index-resealed
// (the same after recomputing its three CRC-32Cs), checkpoint (a saved EcgVision.Torch case-retrieval folder: manifest,
// vocabulary, model config, metadata and weights; see CheckpointTarget.cs), selftest (proves that crashes are caught). EcgFormatException is the documented failure
// of every reader and is expected; any other exception (IndexOutOfRange, NullReference, OutOfMemory, Overflow, …)
// is a crash, and a run longer than afl-fuzz's -t limit is a hang.
using System.Buffers.Binary;
using System.Diagnostics;
using EcgVision.Imaging.Io;
using EcgVision.Retrieval;
using EcgVision.Signals;
using EcgVision.Signals.Formats;
using EcgVision.Signals.PtbXl;
using EcgVision.Signals.Wfdb;
using SharpFuzz;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

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
        ["wfdb-header"] = s => WfdbReader.ReadHeader(s, "fuzz"),
        ["wfdb"] = NewTargets.Wfdb,
        ["ptbxl"] = NewTargets.PtbXl,
        ["image"] = s => EcgImageLoader.Load(s, new EcgImageLoadOptions { Width = 32, Height = 32, MaxBytes = 1 << 20, MaxPixels = 1 << 22 }, "fuzz"),
        ["index"] = NewTargets.Index,
        ["index-resealed"] = s => NewTargets.Index(NewTargets.ResealIndex(s)),
        ["checkpoint"] = CheckpointTarget.Run,

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
            catch (NotSupportedException)
            {
                // Expected: documented by the WFDB reader (multi-segment, FLAC, mixed samples per frame).
            }
        };

        if (args.Length >= 3 && args[1] == "--make-seeds" && args[0] == "checkpoint")
        {
            CheckpointTarget.MakeSeeds(args[2]);
            return 0;
        }

        if (args.Length >= 3 && args[1] == "--make-seeds")
        {
            NewTargets.MakeSeeds(args[0], args[2]);
            return 0;
        }

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
            catch (Exception ex) when (ex is EcgFormatException or NotSupportedException || (ex is InvalidDataException && CheckpointTarget.IsDocumented(ex)))
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

/// <summary>Harnesses that need a file system or a split input: WFDB header + data, PTB-XL CSV, saved index.</summary>
internal static class NewTargets
{
    /// <summary>Separates the header from the signal-file bytes in a <c>wfdb</c> input.</summary>
    public static readonly byte[] DatSeparator = "\n@@DAT@@\n"u8.ToArray();

    private static readonly string Scratch = Path.Combine(Path.GetTempPath(), $"ecgvision-fuzz-{Environment.ProcessId}");

    private static readonly byte[] Statements = System.Text.Encoding.UTF8.GetBytes(
        ",description,diagnostic,form,rhythm,diagnostic_class,diagnostic_subclass\n" +
        "NORM,normal ECG,1.0,,,NORM,NORM\n" +
        "IMI,inferior myocardial infarction,1.0,,,MI,IMI\n" +
        "SR,sinus rhythm,,,1.0,,\n" +
        "LVOLT,low QRS voltages in the frontal and horizontal leads,,1.0,,,\n");

    public static void Wfdb(Stream s)
    {
        byte[] input = ReadAll(s);
        int cut = input.AsSpan().IndexOf(DatSeparator);
        byte[] header = cut < 0 ? input : input[..cut];
        byte[] data = cut < 0 ? [] : input[(cut + DatSeparator.Length)..];
        EcgRecord record = WfdbReader.Read(new MemoryStream(header), _ => new MemoryStream(data, writable: false), "fuzz");
        _ = record.GetLead(0);
    }

    public static void PtbXl(Stream s)
    {
        Directory.CreateDirectory(Scratch);
        File.WriteAllBytes(Path.Combine(Scratch, "ptbxl_database.csv"), ReadAll(s));
        File.WriteAllBytes(Path.Combine(Scratch, "scp_statements.csv"), Statements);
        PtbXlDataset dataset = PtbXlDataset.Open(Scratch, new PtbXlOptions { MissingRecordPolicy = MissingRecordPolicy.Include });
        foreach (PtbXlEntry entry in dataset.Entries)
        {
            _ = entry.ToMetadata();
        }
    }

    public static void Index(Stream s)
    {
        Directory.CreateDirectory(Scratch);
        string path = Path.Combine(Scratch, "index.bin");
        File.WriteAllBytes(path, ReadAll(s));
        using CosineRetriever<long> index = CosineRetriever<long>.Load(path, out IReadOnlyDictionary<long, CaseMetadata> _, verifyOnOpen: true);
        if (index.Count > 0)
        {
            float[] query = new float[index.Dimension];
            query.AsSpan().Fill(1f);
            _ = index.Search(query, 3);
        }
    }

    /// <summary>Writes small generated seeds: <c>image</c> (PNG and JPEG) or <c>index</c> (saved indexes).</summary>
    public static void MakeSeeds(string target, string folder)
    {
        Directory.CreateDirectory(folder);
        if (target == "image")
        {
            using var image = new Image<Rgb24>(24, 16);
            for (int y = 0; y < 16; y++)
            {
                for (int x = 0; x < 24; x++)
                {
                    image[x, y] = new Rgb24((byte)(x * 10), (byte)(y * 15), (byte)((x + y) * 6));
                }
            }

            image.SaveAsPng(Path.Combine(folder, "small.png"));
            image.SaveAsJpeg(Path.Combine(folder, "small.jpg"));
            using var grey = new Image<L8>(8, 8);
            grey.SaveAsPng(Path.Combine(folder, "grey.png"));
        }
        else if (target is "index" or "index-resealed")
        {
            var random = new Random(7);
            foreach ((int n, int d) in new[] { (3, 4), (5, 8) })
            {
                using var index = new CosineRetriever<long>(d);
                var metadata = new Dictionary<long, CaseMetadata>();
                for (long k = 0; k < n; k++)
                {
                    float[] v = [.. Enumerable.Range(0, d).Select(_ => (float)random.NextDouble() + 0.1f)];
                    index.Add(k, v);
                    if (k == 0)
                    {
                        metadata[k] = new CaseMetadata { Report = "sinus rhythm" };
                    }
                }

                index.Save(Path.Combine(folder, $"index-{n}x{d}.bin"), metadata);
            }
        }
        else
        {
            throw new ArgumentException($"--make-seeds: target must be image, index or index-resealed, was '{target}'.", nameof(target));
        }
    }

    /// <summary>Recomputes an index file's header, keys/metadata and payload CRC-32Cs so that mutants get past the checksums.</summary>
    public static Stream ResealIndex(Stream s)
    {
        byte[] f = ReadAll(s);
        if (f.Length >= 128)
        {
            long vectors = BinaryPrimitives.ReadInt64LittleEndian(f.AsSpan(72));
            if (vectors >= 128 && vectors <= f.Length)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(96), Crc32C(f.AsSpan(128, (int)vectors - 128)));
                BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(100), Crc32C(f.AsSpan((int)vectors)));
            }

            BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(124), Crc32C(f.AsSpan(0, 124)));
        }

        return new MemoryStream(f);
    }

    private static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }

        return ~crc;
    }

    private static byte[] ReadAll(Stream s)
    {
        using var copy = new MemoryStream();
        s.CopyTo(copy);
        return copy.ToArray();
    }
}
