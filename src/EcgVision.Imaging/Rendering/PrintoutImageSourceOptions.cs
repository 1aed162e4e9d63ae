namespace EcgVision.Imaging.Rendering;

/// <summary>Which photo/scan augmentation a <see cref="PrintoutImageSource"/> applies to training printouts.</summary>
public enum PrintoutAugmentation
{
    /// <summary>No augmentation: the seed is ignored and every printout is the clean rendering.</summary>
    None,

    /// <summary><see cref="PrintoutImageSource.FastAugmentation"/>: the default look without creases and JPEG, for CPU-budget training.</summary>
    Fast,

    /// <summary><see cref="PaperEcgAugmentationOptions.Default"/>: a mild phone photo (rotation, skew, creases, lighting, blur, noise, JPEG).</summary>
    Default,

    /// <summary><see cref="PaperEcgAugmentationOptions.Strong"/>: every effect on, at larger strengths.</summary>
    Strong,
}

/// <summary>Settings of a <see cref="PrintoutImageSource"/>; validated in its constructor.</summary>
/// <remarks>The defaults were chosen by measurement (docs/printed-ecg.md): a 50-DPI page (550 × 425 px for letter), mild
/// augmentation, one grey channel at 64 × 64, which renders, augments and converts in a few milliseconds per record.</remarks>
public sealed record PrintoutImageSourceOptions
{
    /// <summary>Side length of the square model input in pixels; default 64, allowed 16–1024.</summary>
    public int Size { get; init; } = 64;

    /// <summary>1 (BT.709 luma, the default) or 3 (R, G, B).</summary>
    public int Channels { get; init; } = 1;

    /// <summary>Rendering resolution of the page in dots per inch; default 50 (the renderer's minimum), allowed 50–300.</summary>
    /// <remarks>Below 63.5 DPI the renderer leaves out the 1-mm grid, which would be lost in the downscale to <see cref="Size"/> anyway.</remarks>
    public double Dpi { get; init; } = 50;

    /// <summary>Lead layout of the page; default <see cref="PaperEcgLayout.ThreeByFour"/> with a lead-II rhythm strip.</summary>
    public PaperEcgLayout Layout { get; init; } = PaperEcgLayout.ThreeByFour;

    /// <summary>Grid colours; default <see cref="GridColorScheme.Red"/>.</summary>
    public GridColorScheme GridColors { get; init; } = GridColorScheme.Red;

    /// <summary>Training-time augmentation; default <see cref="PrintoutAugmentation.Default"/>.</summary>
    public PrintoutAugmentation Augmentation { get; init; } = PrintoutAugmentation.Default;
}
