using EcgVision.Torch.Native;
using EcgVision.Torch.Text;
using EcgVision.Torch.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgVision.Torch.Clip;

/// <summary>Turns ECG images and report texts into L2-normalised embeddings (managed arrays in, managed arrays out).</summary>
/// <remarks>
/// Each call runs under its own <c>NewDisposeScope()</c> and <c>no_grad()</c> in evaluation mode, so no tensor outlives it and
/// no native memory accumulates. Images are float32 <c>[Channels, ImageSize, ImageSize]</c> row-major (batches <c>[N, C, H, W]</c>);
/// reports longer than <see cref="MaxTextLength"/> tokens are truncated by the tokenizer (the first tokens are kept).
/// Embeddings have unit length, so the dot product of an image and a report embedding is their cosine similarity.
/// Calls are serialised with a lock (a model is not safe for concurrent use).
/// </remarks>
public sealed class EcgEmbedder : IDisposable
{
    private readonly IReportTokenizer tokenizer;
    private readonly bool ownsModel;
    private readonly object gate = new();
    private bool disposed;

    /// <summary>Wraps a model (not disposed by the embedder) and its tokenizer.</summary>
    /// <param name="model">The trained model.</param>
    /// <param name="tokenizer">The tokenizer the model was trained with.</param>
    /// <param name="maxTextLength">Tokens per report; 0 uses the text tower's MaxPositions.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTextLength"/> is not in [2, MaxPositions] (or 0).</exception>
    public EcgEmbedder(EcgClipModel model, IReportTokenizer tokenizer, int maxTextLength = 0)
        : this(model, tokenizer, maxTextLength, ownsModel: false)
    {
    }

    private EcgEmbedder(EcgClipModel model, IReportTokenizer tokenizer, int maxTextLength, bool ownsModel)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        TorchRuntime.EnsureInitialized();
        int max = model.Config.Text.MaxPositions;
        if (maxTextLength != 0 && (maxTextLength < 2 || maxTextLength > max))
        {
            throw new ArgumentOutOfRangeException(nameof(maxTextLength), maxTextLength, $"maxTextLength must be 0 (MaxPositions) or between 2 and {max}.");
        }

        Model = model;
        this.tokenizer = tokenizer;
        this.ownsModel = ownsModel;
        if (ownsModel)
        {
            model.eval(); // a loaded model is only used for inference: no per-call mode switching
        }

        MaxTextLength = maxTextLength == 0 ? max : maxTextLength;
    }

    /// <summary>The model.</summary>
    public EcgClipModel Model { get; }

    /// <summary>Length of every embedding.</summary>
    public int EmbeddingDim => Model.Config.EmbeddingDim;

    /// <summary>Floats per image: Channels × ImageSize × ImageSize.</summary>
    public int ImageLength => Model.Config.Vision.Channels * Model.Config.Vision.ImageSize * Model.Config.Vision.ImageSize;

    /// <summary>Tokens per report (longer reports are truncated).</summary>
    public int MaxTextLength { get; }

    /// <summary>Loads a checkpoint folder and its tokenizer into an embedder that owns the model.</summary>
    /// <param name="checkpointDirectory">A folder written by <see cref="EcgClipCheckpoint"/> or the trainer.</param>
    /// <param name="loadTokenizer">Recreates the tokenizer from the checkpoint's <c>tokenizer/</c> folder (passed as argument).</param>
    /// <param name="device">Where to run; null is the CPU.</param>
    /// <returns>The embedder (dispose it).</returns>
    /// <exception cref="FileNotFoundException">A checkpoint file or the tokenizer folder is missing.</exception>
    /// <exception cref="InvalidDataException">The checkpoint is damaged or inconsistent.</exception>
    public static EcgEmbedder Load(string checkpointDirectory, Func<string, IReportTokenizer> loadTokenizer, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(loadTokenizer);
        string tokDir = EcgClipCheckpoint.GetTokenizerDirectory(checkpointDirectory)
            ?? throw new FileNotFoundException($"Checkpoint folder '{checkpointDirectory}' has no {EcgClipCheckpoint.TokenizerFolderName}/ folder.");
        var (_, training) = EcgClipCheckpoint.ReadConfigFile(checkpointDirectory);
        var model = EcgClipCheckpoint.LoadModel(checkpointDirectory);
        try
        {
            if (device is not null)
            {
                model.to(device);
            }

            int maxLength = training?.MaxTextLength is int m && m <= model.Config.Text.MaxPositions ? m : 0;
            return new EcgEmbedder(model, loadTokenizer(tokDir), maxLength, ownsModel: true);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Embeds one image.</summary>
    /// <param name="image">float32 <c>[Channels, ImageSize, ImageSize]</c>.</param>
    /// <returns>A new unit-length array of <see cref="EmbeddingDim"/> floats.</returns>
    /// <exception cref="ArgumentException">The image does not have <see cref="ImageLength"/> floats.</exception>
    public float[] EmbedImage(ReadOnlySpan<float> image)
    {
        var result = new float[EmbeddingDim];
        EmbedImages(image, 1, result);
        return result;
    }

    /// <summary>Embeds one image into <paramref name="destination"/>.</summary>
    /// <param name="image">float32 <c>[Channels, ImageSize, ImageSize]</c>.</param>
    /// <param name="destination">At least <see cref="EmbeddingDim"/> floats.</param>
    /// <exception cref="ArgumentException">The image has the wrong length or the destination is too short.</exception>
    public void EmbedImage(ReadOnlySpan<float> image, Span<float> destination) => EmbedImages(image, 1, destination);

    /// <summary>Embeds a batch of images.</summary>
    /// <param name="images">The images.</param>
    /// <returns>One new unit-length array per image.</returns>
    /// <exception cref="ArgumentException">An image has the wrong length.</exception>
    public float[][] EmbedImages(IReadOnlyList<float[]> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        int length = ImageLength;
        var buffer = new float[images.Count * length];
        for (int i = 0; i < images.Count; i++)
        {
            if (images[i] is null || images[i].Length != length)
            {
                throw new ArgumentException(
                    $"images[{i}] must hold Channels × ImageSize × ImageSize = {length} floats (got {images[i]?.Length ?? 0}).", nameof(images));
            }

            images[i].CopyTo(buffer, i * length);
        }

        var flat = new float[images.Count * EmbeddingDim];
        EmbedImages(buffer, images.Count, flat);
        return Split(flat, images.Count);
    }

    /// <summary>Embeds <paramref name="count"/> images stored back to back (<c>[count, C, H, W]</c>) into <paramref name="destination"/> (<c>[count, EmbeddingDim]</c>).</summary>
    /// <param name="images">The images, <c>count × ImageLength</c> floats.</param>
    /// <param name="count">Number of images.</param>
    /// <param name="destination">At least <c>count × EmbeddingDim</c> floats.</param>
    /// <exception cref="ArgumentException">The image buffer length is wrong or the destination is too short.</exception>
    public void EmbedImages(ReadOnlySpan<float> images, int count, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var v = Model.Config.Vision;
        if (images.Length != (long)count * ImageLength)
        {
            throw new ArgumentException(
                $"Expected {count} image(s) of [{v.Channels}, {v.ImageSize}, {v.ImageSize}] = {(long)count * ImageLength} floats but got {images.Length}.", nameof(images));
        }

        if (destination.Length < count * EmbeddingDim)
        {
            throw new ArgumentException($"destination must hold at least {count * EmbeddingDim} floats (got {destination.Length}).", nameof(destination));
        }

        if (count == 0)
        {
            return;
        }

        float[] data = images.ToArray();
        Run(destination, () => Model.EncodeImage(tensor(data, [count, v.Channels, v.ImageSize, v.ImageSize]).to(Model.Device)));
    }

    /// <summary>Embeds one report.</summary>
    /// <param name="report">The report text; truncated to <see cref="MaxTextLength"/> tokens.</param>
    /// <returns>A new unit-length array of <see cref="EmbeddingDim"/> floats.</returns>
    public float[] EmbedText(string report) => EmbedTexts([report])[0];

    /// <summary>Embeds a batch of reports.</summary>
    /// <param name="reports">The report texts; each truncated to <see cref="MaxTextLength"/> tokens.</param>
    /// <returns>One new unit-length array per report.</returns>
    public float[][] EmbedTexts(IReadOnlyList<string> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count == 0)
        {
            return [];
        }

        for (int i = 0; i < reports.Count; i++)
        {
            if (reports[i] is null)
            {
                throw new ArgumentNullException(nameof(reports), $"reports[{i}] is null.");
            }
        }

        int n = reports.Count, l = MaxTextLength;
        var ids = new long[n * l];
        var mask = new long[n * l];
        tokenizer.Encode(reports, l, ids, mask);
        var flat = new float[n * EmbeddingDim];
        Run(flat, () => Model.EncodeText(new TextEncoderInput(tensor(ids, [n, l]).to(Model.Device), tensor(mask, [n, l]).to(Model.Device))));
        return Split(flat, n);
    }

    /// <summary>Disposes the model if this embedder loaded it.</summary>
    public void Dispose()
    {
        if (!disposed)
        {
            disposed = true;
            if (ownsModel)
            {
                Model.Dispose();
            }
        }
    }

    private void Run(Span<float> destination, Func<Tensor> encode)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            bool wasTraining = Model.training;
            if (wasTraining)
            {
                Model.eval(); // walks every submodule, so only when needed
            }

            try
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var features = encode().to(CPU).contiguous();
                using var values = features.data<float>();
                values.CopyTo(destination);
            }
            finally
            {
                if (wasTraining)
                {
                    Model.train();
                }
            }
        }
    }

    private float[][] Split(float[] flat, int count)
    {
        int d = EmbeddingDim;
        var result = new float[count][];
        for (int i = 0; i < count; i++)
        {
            result[i] = flat.AsSpan(i * d, d).ToArray();
        }

        return result;
    }
}
