using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EcgVision.Internal;
using EcgVision.Torch.Internal;
using EcgVision.Torch.Native;
using EcgVision.Torch.Tokenization;
using EcgVision.Torch.Training;

namespace EcgVision.Torch.Clip;

/// <summary>Descriptive data stored in a checkpoint's <c>metadata.json</c>.</summary>
/// <param name="LibraryVersion">EcgVision.Torch version that wrote it.</param>
/// <param name="CreatedUtc">When it was written.</param>
/// <param name="Epoch">Epochs completed (0 for an untrained model).</param>
/// <param name="Step">Optimiser steps taken.</param>
/// <param name="TrainingLoss">Mean training loss of the last epoch, if trained.</param>
/// <param name="Validation">Validation metrics of that epoch, if validated.</param>
/// <param name="HasTokenizer">Whether a <c>tokenizer/</c> folder was written.</param>
public sealed record CheckpointMetadata(
    string LibraryVersion, DateTimeOffset CreatedUtc, int Epoch, long Step, double? TrainingLoss, RetrievalMetrics? Validation, bool HasTokenizer);

/// <summary>Writes and reads EcgClipModel checkpoint folders (atomically; strict on load).</summary>
/// <remarks>
/// A checkpoint is one folder: <c>config.json</c> (model config and training options), <c>model.bin</c> (TorchSharp
/// <c>module.save</c> format, state_dict keys as in docs/weights.md), optionally <c>optimizer.bin</c> + <c>trainer_state.json</c>
/// (for resuming), <c>tokenizer/</c> (files of an <see cref="IPersistableTokenizer"/>) and <c>metadata.json</c>. It is written into a
/// temporary sibling folder and then renamed into place, so a crash leaves the previous checkpoint or the complete new one.
/// </remarks>
public static class EcgClipCheckpoint
{
    /// <summary>The model (and training options) file.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>The weights file.</summary>
    public const string WeightsFileName = "model.bin";

    /// <summary>The optimiser state file (training checkpoints only).</summary>
    public const string OptimizerFileName = "optimizer.bin";

    /// <summary>The trainer state file (epoch, step, early-stopping counters; training checkpoints only).</summary>
    public const string TrainerStateFileName = "trainer_state.json";

    /// <summary>The descriptive metadata file.</summary>
    public const string MetadataFileName = "metadata.json";

    /// <summary>The tokenizer sub-folder.</summary>
    public const string TokenizerFolderName = "tokenizer";

    /// <summary>Saves a model (and its tokenizer when it is an <see cref="IPersistableTokenizer"/>) as a checkpoint folder.</summary>
    /// <param name="directory">The checkpoint folder; replaced atomically if it exists.</param>
    /// <param name="model">The model (any device).</param>
    /// <param name="tokenizer">The tokenizer to store, or null.</param>
    public static void Save(string directory, EcgClipModel model, IReportTokenizer? tokenizer = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(model);
        SaveCore(directory, model, tokenizer, null, null, null, new CheckpointMetadata(LibraryVersion, DateTimeOffset.UtcNow, 0, 0, null, null, false));
    }

    /// <summary>Reads the model configuration of a checkpoint.</summary>
    /// <param name="directory">The checkpoint folder.</param>
    /// <returns>The validated config.</returns>
    /// <exception cref="FileNotFoundException">The folder or its config.json is missing.</exception>
    /// <exception cref="InvalidDataException">config.json is not valid (not JSON, a repeated property name, not an object, no valid <c>model</c> section).</exception>
    public static EcgClipConfig ReadConfig(string directory)
    {
        var (model, _) = ReadConfigFile(directory);
        return model;
    }

    /// <summary>Reads a checkpoint's metadata.</summary>
    /// <param name="directory">The checkpoint folder.</param>
    /// <returns>The metadata.</returns>
    /// <exception cref="FileNotFoundException">metadata.json is missing.</exception>
    /// <exception cref="InvalidDataException">metadata.json is not valid.</exception>
    public static CheckpointMetadata ReadMetadata(string directory)
    {
        string path = RequireFile(directory, MetadataFileName);
        return ReadJson<CheckpointMetadata>(path);
    }

    /// <summary>Builds the model described by config.json and loads model.bin into it strictly, on the CPU.</summary>
    /// <param name="directory">The checkpoint folder.</param>
    /// <returns>A new model owned by the caller (dispose it).</returns>
    /// <remarks>
    /// Before anything is allocated, the config's parameter count is checked against the size of model.bin (4 bytes per
    /// float32 parameter), so a corrupt config cannot ask for a model larger than its weights; then every entry of model.bin
    /// (key, element type, rank, shape, data length) is checked against the model in managed code before TorchSharp reads it.
    /// </remarks>
    /// <exception cref="FileNotFoundException">The folder, config.json or model.bin is missing.</exception>
    /// <exception cref="InvalidDataException">The weights are truncated or do not match the config (missing, repeated or extra
    /// keys, wrong types or shapes, trailing bytes), or the config declares more parameters than model.bin can hold.</exception>
    public static EcgClipModel LoadModel(string directory)
    {
        TorchRuntime.EnsureInitialized();
        var config = ReadConfig(directory);
        string weights = RequireFile(directory, WeightsFileName);
        long fileBytes = new FileInfo(weights).Length;
        Int128 parameters = CountParameters(config);
        if (parameters * sizeof(float) > fileBytes)
        {
            throw new InvalidDataException(
                $"Checkpoint weights '{weights}' do not match {ConfigFileName}: the config declares a model of {parameters} parameters " +
                $"({parameters * sizeof(float)} bytes as float32) but the file holds only {fileBytes} bytes (it is truncated or was written for a smaller model).");
        }

        var model = new EcgClipModel(config);
        try
        {
            using var stream = File.OpenRead(weights);
            StateDictStream.Validate(stream, model.state_dict(), weights);
            stream.Position = 0;
            using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            model.load(reader, strict: true);
            if (stream.Position != stream.Length)
            {
                throw new InvalidDataException($"{stream.Length - stream.Position} unexpected trailing bytes.");
            }
        }
        catch (InvalidDataException ex)
        {
            model.Dispose();
            throw new InvalidDataException($"Checkpoint weights '{weights}' do not match {ConfigFileName} (strict load): {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            model.Dispose();
            throw new InvalidDataException(
                $"Checkpoint weights '{weights}' do not match {ConfigFileName} (strict load): {ex.Message} " +
                "The file may be truncated or written for another configuration.",
                ex);
        }

        return model;
    }

    /// <summary>The number of parameters (state_dict elements) of the model a config describes, without building it.</summary>
    /// <param name="config">A validated config.</param>
    /// <returns>The count; 128-bit, so that any int-valued config is counted without overflow.</returns>
    internal static Int128 CountParameters(EcgClipConfig config)
    {
        var v = config.Vision;
        var t = config.Text;
        Int128 vh = v.HiddenSize, vi = v.IntermediateSize, th = t.HiddenSize, ti = t.IntermediateSize;
        Int128 side = v.ImageSize / v.PatchSize;
        Int128 patches = side * side;
        Int128 vision = vh // cls_token
            + ((patches + 1) * vh) // position_embeddings
            + ((Int128)v.Channels * v.PatchSize * v.PatchSize * vh) + vh // patch projection (conv weight + bias)
            + (v.NumLayers * ((4 * ((vh * vh) + vh)) + (vh * vi) + vi + (vi * vh) + vh + (4 * vh))) // q, k, v, out; MLP; two LayerNorms
            + (2 * vh); // final LayerNorm
        Int128 text = (((Int128)t.VocabularySize + t.MaxPositions + Math.Max(0, t.TypeVocabularySize)) * th) + (2 * th) // embeddings + LayerNorm
            + (t.NumLayers * ((4 * ((th * th) + th)) + (2 * th) + (th * ti) + ti + (ti * th) + th + (2 * th))); // attention + LN; MLP + LN
        Int128 projections = (vh + th) * config.EmbeddingDim;
        return vision + text + projections + 1; // + logit_scale
    }

    /// <summary>The tokenizer folder of a checkpoint, or null when none was stored.</summary>
    /// <param name="directory">The checkpoint folder.</param>
    /// <returns>The path, or null.</returns>
    public static string? GetTokenizerDirectory(string directory)
    {
        string path = Path.Combine(directory, TokenizerFolderName);
        return Directory.Exists(path) ? path : null;
    }

    internal static string LibraryVersion =>
        typeof(EcgClipCheckpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    internal static (EcgClipConfig Model, ContrastiveTrainerOptions? Training) ReadConfigFile(string directory)
    {
        string path = RequireFile(directory, ConfigFileName);
        JsonNode? root;
        try
        {
            // Duplicate names are refused while parsing: JsonObject would otherwise throw ArgumentException on first access.
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Checkpoint config '{path}' is not valid JSON: {ex.Message}", ex);
        }

        if (root is not null and not JsonObject)
        {
            throw new InvalidDataException($"Checkpoint config '{path}' must be a JSON object (got a {root.GetValueKind()}).");
        }

        var modelNode = root?["model"] ?? throw new InvalidDataException($"Checkpoint config '{path}' has no \"model\" section.");
        EcgClipConfig model;
        ContrastiveTrainerOptions? training;
        try
        {
            model = modelNode.Deserialize<EcgClipConfig>(TorchJson.Options)
                ?? throw new InvalidDataException($"Checkpoint config '{path}': \"model\" is null.");
            training = root!["training"]?.Deserialize<ContrastiveTrainerOptions>(TorchJson.Options);
            model.Validate();
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or NotSupportedException)
        {
            throw new InvalidDataException($"Checkpoint config '{path}' is not a valid EcgClipConfig: {ex.Message}", ex);
        }

        return (model, training);
    }

    internal static T ReadJson<T>(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), TorchJson.Options)
                ?? throw new InvalidDataException($"'{path}' holds null.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"'{path}' is not valid: {ex.Message}", ex);
        }
    }

    internal static string RequireFile(string directory, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Checkpoint folder '{directory}' does not exist.");
        }

        string path = Path.Combine(directory, name);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Checkpoint folder '{directory}' has no {name}.", path);
        }

        return path;
    }

    /// <summary>Writes every file into a temporary sibling folder, then swaps it into place.</summary>
    internal static void SaveCore(
        string directory, EcgClipModel model, IReportTokenizer? tokenizer, ContrastiveTrainerOptions? training,
        Action<BinaryWriter>? saveOptimizer, object? trainerState, CheckpointMetadata metadata)
    {
        AtomicDirectory.Write(directory, temp =>
        {
            bool hasTokenizer = false;
            if (tokenizer is IPersistableTokenizer persistable)
            {
                string tokDir = Path.Combine(temp, TokenizerFolderName);
                Directory.CreateDirectory(tokDir);
                persistable.Save(tokDir);
                hasTokenizer = true;
            }

            var config = new JsonObject
            {
                ["model"] = JsonSerializer.SerializeToNode(model.Config, TorchJson.Options),
                ["training"] = training is null ? null : JsonSerializer.SerializeToNode(training, TorchJson.Options),
            };
            AtomicFile.WriteAllText(Path.Combine(temp, ConfigFileName), config.ToJsonString(TorchJson.Options));
            AtomicFile.Write(Path.Combine(temp, WeightsFileName), s =>
            {
                using var w = new BinaryWriter(s, System.Text.Encoding.UTF8, leaveOpen: true);
                model.save(w);
            });
            if (saveOptimizer is not null)
            {
                AtomicFile.Write(Path.Combine(temp, OptimizerFileName), s =>
                {
                    using var w = new BinaryWriter(s, System.Text.Encoding.UTF8, leaveOpen: true);
                    saveOptimizer(w);
                });
            }

            if (trainerState is not null)
            {
                AtomicFile.WriteAllText(Path.Combine(temp, TrainerStateFileName), JsonSerializer.Serialize(trainerState, trainerState.GetType(), TorchJson.Options));
            }

            AtomicFile.WriteAllText(Path.Combine(temp, MetadataFileName),
                JsonSerializer.Serialize(metadata with { HasTokenizer = hasTokenizer }, TorchJson.Options));
        });
    }
}
