namespace EcgVision.Imaging.Io;

/// <summary>How <see cref="EcgImageWriter"/> maps float values to 8-bit PNG pixels.</summary>
/// <remarks>
/// A value v in range [Min, Max] becomes level round(255 · clamp((v − Min) / (Max − Min), 0, 1)). Single-channel images then go
/// through the <see cref="Viridis"/> table (or grey levels with <see cref="UseColormap"/> off); three-channel images become R, G, B.
/// When <see cref="Min"/> and <see cref="Max"/> are both <see langword="null"/>, the range is the finite minimum and maximum of the data,
/// taken per channel for three channels (so each channel uses its full 0–255 span); a constant channel maps to level 0.
/// NaN and ±∞ values are drawn black. Known encoder ranges: GAF [-1, 1], MTF [0, 1], rendered paper images [0, 1].
/// </remarks>
public sealed record EcgImagePngOptions
{
    /// <summary>The value drawn as level 0; <see langword="null"/> (default) for the data minimum. Set together with <see cref="Max"/>.</summary>
    public float? Min { get; init; }

    /// <summary>The value drawn as level 255; <see langword="null"/> (default) for the data maximum. Set together with <see cref="Min"/>.</summary>
    public float? Max { get; init; }

    /// <summary>Whether single-channel images are drawn through viridis (default <see langword="true"/>) or as grey levels.</summary>
    public bool UseColormap { get; init; } = true;
}
