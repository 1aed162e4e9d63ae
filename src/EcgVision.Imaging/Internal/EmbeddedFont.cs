using SkiaSharp;

namespace EcgVision.Imaging.Internal;

/// <summary>The DejaVu Sans typeface embedded in this assembly (Bitstream Vera licence; see Rendering/Fonts/LICENSE-DejaVu.txt).</summary>
/// <remarks>Loaded from the assembly rather than the system, so labels rasterise identically whatever fonts a machine has installed.</remarks>
internal static class EmbeddedFont
{
    internal const string ResourceName = "EcgVision.Imaging.Rendering.Fonts.DejaVuSans.ttf";

    private static readonly Lazy<SKTypeface> s_typeface = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static SKTypeface DejaVuSans => s_typeface.Value;

    private static SKTypeface Load()
    {
        using Stream resource = typeof(EmbeddedFont).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded font resource '{ResourceName}' is missing from {typeof(EmbeddedFont).Assembly.GetName().Name}.");
        var copy = new MemoryStream();
        resource.CopyTo(copy);
        copy.Position = 0;
        return SKTypeface.FromStream(copy)
            ?? throw new InvalidOperationException($"Embedded font resource '{ResourceName}' could not be loaded by Skia.");
    }
}
