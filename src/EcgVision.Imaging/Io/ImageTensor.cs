namespace EcgVision.Imaging.Io;

/// <summary>A float32 image in <c>[C, H, W]</c> layout (channel-major, then row-major), ready for <c>torch.tensor(Data, [C, H, W])</c>.</summary>
public sealed class ImageTensor
{
    /// <summary>Wraps a buffer (takes ownership).</summary>
    /// <param name="data">The values, length <c>channels × height × width</c>.</param>
    /// <param name="channels">Channel count (at least 1).</param>
    /// <param name="height">Height (at least 1).</param>
    /// <param name="width">Width (at least 1).</param>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    /// <exception cref="ArgumentException">The data length does not match the shape.</exception>
    public ImageTensor(float[] data, int channels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if ((long)channels * height * width != data.Length)
        {
            throw new ArgumentException($"data must hold {channels} × {height} × {width} = {(long)channels * height * width} values (got {data.Length}).", nameof(data));
        }

        Data = data;
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>The values, <c>[C, H, W]</c> row-major.</summary>
    public float[] Data { get; }

    /// <summary>Number of channels (C).</summary>
    public int Channels { get; }

    /// <summary>Height in pixels (H).</summary>
    public int Height { get; }

    /// <summary>Width in pixels (W).</summary>
    public int Width { get; }

    /// <summary>The shape as <c>[C, H, W]</c>, e.g. for <c>torch.tensor</c>.</summary>
    public long[] Shape => [Channels, Height, Width];

    /// <summary>Saves the tensor as PNG (see <see cref="EcgImageWriter.SavePng"/>).</summary>
    /// <param name="path">The PNG file.</param>
    /// <param name="options">The value mapping; <see langword="null"/> for per-channel min–max.</param>
    public void SavePng(string path, EcgImagePngOptions? options = null) => EcgImageWriter.SavePng(Data, Channels, Height, Width, path, options);

    /// <summary>Saves the tensor as a float32 <c>.npy</c> of shape <c>(C, H, W)</c>.</summary>
    /// <param name="path">The <c>.npy</c> file.</param>
    public void SaveNpy(string path) => NpyWriter.Save(path, Data, Channels, Height, Width);
}
