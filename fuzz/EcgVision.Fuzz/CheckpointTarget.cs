// The `checkpoint` target: the EcgVision.Torch loaders of a saved case-retrieval folder (see docs/fuzzing.md).
using System.Text.Json;
using EcgVision.Encoding;
using EcgVision.Signals;
using EcgVision.Torch;
using EcgVision.Torch.CaseRetrieval;
using EcgVision.Torch.Clip;
using EcgVision.Torch.Text;
using EcgVision.Torch.Tokenization;
using EcgVision.Torch.Vision;

namespace EcgVision.Fuzz;

/// <summary>
/// One input = the five files of a saved one-view system, in this order, separated by <c>\n@@FILE@@\n</c>:
/// <c>manifest.json</c>, <c>tokenizer/vocab.txt</c>, <c>views/v/model/config.json</c>, <c>views/v/model/metadata.json</c>,
/// <c>views/v/model/model.bin</c> (last, so truncations cut the weights). A missing part leaves its file out.
/// Each execution writes them into a per-process scratch folder and runs
/// <see cref="WordPieceReportTokenizer.Create(string, WordPieceTokenizerOptions?)"/>, <see cref="EcgClipCheckpoint.ReadMetadata"/>,
/// <see cref="EcgClipCheckpoint.LoadModel"/> and <see cref="EcgCaseRetrievalSystem.Load"/>, each on its own, so that a rejected
/// part does not hide the others.
/// </summary>
internal static class CheckpointTarget
{
    /// <summary>Separates the files in a <c>checkpoint</c> input.</summary>
    public static readonly byte[] Separator = "\n@@FILE@@\n"u8.ToArray();

    private static readonly string[] Files =
        ["manifest.json", "tokenizer/vocab.txt", "views/v/model/config.json", "views/v/model/metadata.json", "views/v/model/model.bin"];

    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"ecgvision-fuzz-ckpt-{Environment.ProcessId}");

    private static bool s_initialised;

    public static void Run(Stream s)
    {
        Initialise();
        byte[] input = ReadAll(s);
        int start = 0;
        for (int i = 0; i < Files.Length; i++)
        {
            string path = Path.Combine(Root, Files[i]);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (start > input.Length)
            {
                File.Delete(path);
                continue;
            }

            int cut = i == Files.Length - 1 ? -1 : input.AsSpan(start).IndexOf(Separator);
            int end = cut < 0 ? input.Length : start + cut;
            File.WriteAllBytes(path, input[start..end]);
            start = cut < 0 ? input.Length + 1 : end + Separator.Length;
        }

        string modelDir = Path.Combine(Root, "views", "v", "model");
        Expect(() => WordPieceReportTokenizer.Create(Path.Combine(Root, Files[1])));
        Expect(() => EcgClipCheckpoint.ReadMetadata(modelDir));
        Expect(() => EcgClipCheckpoint.LoadModel(modelDir).Dispose());
        Expect(() => EcgCaseRetrievalSystem.Load(Root).Dispose());
    }

    /// <summary>Runs one loader; its documented exceptions are expected, anything else escapes as a crash.</summary>
    private static void Expect(Action load)
    {
        try
        {
            load();
        }
        catch (Exception ex) when (IsDocumented(ex))
        {
        }
    }

    /// <summary>
    /// The loaders document <see cref="InvalidDataException"/>, <see cref="FileNotFoundException"/>,
    /// <see cref="DirectoryNotFoundException"/> and <see cref="NotSupportedException"/> (unknown image-source kind); the case index
    /// loader documents <see cref="EcgFormatException"/>. An <see cref="InvalidDataException"/> that merely wraps a bug
    /// (<see cref="NullReferenceException"/>, <see cref="IndexOutOfRangeException"/>, <see cref="OverflowException"/>, …) is not
    /// accepted; a wrapped <see cref="ArgumentException"/> is (a source factory refusing a saved size is documented that way).
    /// </summary>
    public static bool IsDocumented(Exception ex) => ex switch
    {
        InvalidDataException { InnerException: { } inner } => !IsBug(inner),
        InvalidDataException or FileNotFoundException or DirectoryNotFoundException or NotSupportedException or EcgFormatException => true,
        _ => false,
    };

    private static bool IsBug(Exception ex) =>
        ex is NullReferenceException or IndexOutOfRangeException or OverflowException or InvalidCastException
            or KeyNotFoundException or AccessViolationException or OutOfMemoryException or InsufficientExecutionStackException;

    private static void Initialise()
    {
        if (!s_initialised)
        {
            EcgVision.Torch.Native.TorchRuntime.EnsureInitialized();
            TorchSharp.torch.set_num_threads(1);
            s_initialised = true;
        }
    }

    /// <summary>Writes seeds: a saved one-view system (Micro-sized ViT and BERT, 30-token vocabulary) as one input.</summary>
    public static void MakeSeeds(string folder)
    {
        Initialise();
        Directory.CreateDirectory(folder);
        string work = Path.Combine(Path.GetTempPath(), $"ecgvision-fuzz-ckpt-seed-{Environment.ProcessId}");
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }

        var source = new QiuImageSource(8);
        var (channels, size, _) = source.Shape;
        string[] vocabulary =
        [
            .. WordPieceTrainerOptions.DefaultSpecialTokens,
            "sinus", "rhythm", "normal", "ecg", "axis", "left", "right", "block", "st", "t", "wave", "q", "infarct", "lead",
            "##s", "##al", "##ed", "a", "e", "i", "o", "r", "n", "l", "c",
        ];
        var tokenizer = WordPieceReportTokenizer.FromVocabulary(vocabulary);
        var config = new EcgClipConfig
        {
            Vision = new VisionTransformerConfig
            {
                ImageSize = size, Channels = channels, PatchSize = 4, HiddenSize = 8, NumLayers = 1, NumHeads = 2, IntermediateSize = 16,
                Pooling = TokenPooling.Mean,
            },
            Text = new BertTextEncoderConfig
            {
                VocabularySize = vocabulary.Length, MaxPositions = 8, HiddenSize = 8, NumLayers = 1, NumHeads = 2, IntermediateSize = 16,
                Pooling = TokenPooling.Mean,
            },
            EmbeddingDim = 4,
        };
        TorchSharp.torch.manual_seed(1);
        using (var model = new EcgClipModel(config))
        {
            EcgClipCheckpoint.Save(Path.Combine(work, "views", "v", "model"), model);
        }

        tokenizer.Save(Path.Combine(work, "tokenizer"));
        var manifest = new Dictionary<string, object?>
        {
            ["format"] = "ecgvision-case-retrieval",
            ["version"] = EcgCaseRetrievalSystem.FormatVersion,
            ["library"] = "fuzz-seed",
            ["tokenizer"] = "tokenizer",
            ["maxTextLength"] = 8,
            ["views"] = new[] { new Dictionary<string, object?> { ["name"] = "v", ["source"] = new { kind = "qiu", size }, ["model"] = "views/v/model" } },
        };
        File.WriteAllText(Path.Combine(work, "manifest.json"), JsonSerializer.Serialize(manifest));

        // Check that the seed loads before writing it.
        using (EcgCaseRetrievalSystem.Load(work))
        {
        }

        using var seed = new MemoryStream();
        for (int i = 0; i < Files.Length; i++)
        {
            if (i > 0)
            {
                seed.Write(Separator);
            }

            seed.Write(File.ReadAllBytes(Path.Combine(work, Files[i])));
        }

        File.WriteAllBytes(Path.Combine(folder, "system.bin"), seed.ToArray());
        Directory.Delete(work, recursive: true);
    }

    private static byte[] ReadAll(Stream s)
    {
        using var copy = new MemoryStream();
        s.CopyTo(copy);
        return copy.ToArray();
    }
}
