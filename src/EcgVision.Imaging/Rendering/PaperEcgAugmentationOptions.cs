namespace EcgVision.Imaging.Rendering;

/// <summary>Seeded effects that make a clean rendering look like a phone photo or a scan of paper; each has a probability and a strength.</summary>
/// <remarks>
/// Effects run in this order: geometry (rotation + perspective, one homography), creases, uneven lighting, blur, noise, JPEG.
/// Each effect is applied with its probability; its strength is then drawn uniformly between zero (or the given minimum) and its maximum.
/// Validated in the <see cref="PaperEcgAugmenter"/> constructor. Use <see cref="Default"/> for a mild photo look,
/// <see cref="Strong"/> for a hard training distribution.
/// </remarks>
public sealed record PaperEcgAugmentationOptions
{
    /// <summary>The defaults: a mild phone-photo look.</summary>
    public static PaperEcgAugmentationOptions Default { get; } = new();

    /// <summary>Every effect always on, at larger strengths.</summary>
    public static PaperEcgAugmentationOptions Strong { get; } = new()
    {
        RotationProbability = 1, MaxRotationDegrees = 5,
        PerspectiveProbability = 1, MaxPerspective = 0.05,
        CreaseProbability = 1, MaxCreases = 4, MaxCreaseStrength = 0.35,
        LightingProbability = 1, MaxLightingStrength = 0.5,
        BlurProbability = 1, MaxBlurSigma = 2,
        NoiseProbability = 1, MaxNoiseSigma = 12,
        JpegProbability = 1, MinJpegQuality = 25, MaxJpegQuality = 60,
    };

    /// <summary>Probability of a small rotation; default 0.8.</summary>
    public double RotationProbability { get; init; } = 0.8;

    /// <summary>Largest rotation in degrees (either direction); default 2.5, allowed 0–45.</summary>
    public double MaxRotationDegrees { get; init; } = 2.5;

    /// <summary>Probability of a perspective skew (each page corner moved independently); default 0.5.</summary>
    public double PerspectiveProbability { get; init; } = 0.5;

    /// <summary>Largest corner displacement as a fraction of the image width/height; default 0.03, allowed 0–0.25.</summary>
    public double MaxPerspective { get; init; } = 0.03;

    /// <summary>Probability of crease/wrinkle shading; default 0.4.</summary>
    public double CreaseProbability { get; init; } = 0.4;

    /// <summary>Largest number of creases (at least one is drawn when the effect is on); default 3, allowed 1–20.</summary>
    public int MaxCreases { get; init; } = 3;

    /// <summary>Largest brightness change at a crease (fraction); default 0.25, allowed 0–1.</summary>
    public double MaxCreaseStrength { get; init; } = 0.25;

    /// <summary>Probability of uneven lighting (a linear gradient plus a vignette); default 0.7.</summary>
    public double LightingProbability { get; init; } = 0.7;

    /// <summary>Largest darkening by the gradient and the vignette (fraction of brightness); default 0.35, allowed 0–1.</summary>
    public double MaxLightingStrength { get; init; } = 0.35;

    /// <summary>Probability of a blur (three box passes approximating a Gaussian); default 0.5.</summary>
    public double BlurProbability { get; init; } = 0.5;

    /// <summary>Largest blur sigma in pixels; default 1.2, allowed 0–20.</summary>
    public double MaxBlurSigma { get; init; } = 1.2;

    /// <summary>Probability of additive sensor noise; default 0.7.</summary>
    public double NoiseProbability { get; init; } = 0.7;

    /// <summary>Largest noise standard deviation, in 8-bit levels (0–255 scale); default 6, allowed 0–128.</summary>
    public double MaxNoiseSigma { get; init; } = 6;

    /// <summary>Probability of a JPEG round trip (encode and decode through ImageSharp, 4:2:0 chroma); default 0.6.</summary>
    public double JpegProbability { get; init; } = 0.6;

    /// <summary>Lowest JPEG quality drawn; default 40, allowed 1–100.</summary>
    public int MinJpegQuality { get; init; } = 40;

    /// <summary>Highest JPEG quality drawn; default 90, allowed <see cref="MinJpegQuality"/>–100.</summary>
    public int MaxJpegQuality { get; init; } = 90;

    /// <summary>Colour (R, G, B) shown where the transformed page no longer covers the image (the table under the paper); default dark grey (60, 60, 60).</summary>
    public (byte R, byte G, byte B) BackgroundColor { get; init; } = (60, 60, 60);
}
