using System.Collections.Concurrent;
using System.Globalization;
using EcgVision.Encoding;
using EcgVision.Imaging.Rendering;

namespace EcgVision.Torch.CaseRetrieval;

/// <summary>Recreates <see cref="IEcgImageSource"/>s from their saved <see cref="EcgImageSourceDescriptor"/>, keyed by <see cref="EcgImageSourceDescriptor.Kind"/>.</summary>
/// <remarks>
/// <c>qiu</c> (<see cref="QiuImageSource"/>), <c>multilead</c> (<see cref="MultiLeadImageSource"/>) and <c>printout</c>
/// (<see cref="PrintoutImageSource"/>, the printed-ECG source) are built in. Other sources call <see cref="Register"/> once at start-up
/// so <see cref="EcgCaseRetrievalSystem.Load"/> can rebuild them. Kinds compare case-insensitively. Thread-safe.
/// </remarks>
public static class EcgImageSourceRegistry
{
    private static readonly ConcurrentDictionary<string, Func<EcgImageSourceDescriptor, IEcgImageSource>> s_factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["qiu"] = CreateQiu,
        ["multilead"] = CreateMultiLead,
        [PrintoutImageSource.Kind] = PrintoutImageSource.FromDescriptor,
    };

    /// <summary>The registered kinds.</summary>
    public static IReadOnlyCollection<string> Kinds => s_factories.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Registers (or replaces) the factory for a source kind.</summary>
    /// <param name="kind">The <see cref="EcgImageSourceDescriptor.Kind"/> the factory handles.</param>
    /// <param name="factory">Builds a source from its descriptor.</param>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is null or blank.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public static void Register(string kind, Func<EcgImageSourceDescriptor, IEcgImageSource> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(factory);
        s_factories[kind] = factory;
    }

    /// <summary>Creates a source from its descriptor.</summary>
    /// <param name="descriptor">The saved descriptor.</param>
    /// <returns>A new source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="descriptor"/> is null.</exception>
    /// <exception cref="NotSupportedException">No factory is registered for the kind.</exception>
    public static IEcgImageSource Create(EcgImageSourceDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (!s_factories.TryGetValue(descriptor.Kind ?? string.Empty, out var factory))
        {
            throw new NotSupportedException(
                $"Image source kind '{descriptor.Kind}' is not registered (known: {string.Join(", ", Kinds)}); call EcgImageSourceRegistry.Register first.");
        }

        return factory(descriptor);
    }

    private static QiuImageSource CreateQiu(EcgImageSourceDescriptor d)
    {
        var beats = QiuBeatSelection.Simultaneous;
        if (d.Settings is { } s && s.TryGetValue(QiuImageSource.BeatsSetting, out var b)
            && !(Enum.TryParse(b, ignoreCase: false, out beats) && Enum.IsDefined(beats)))
        {
            throw new InvalidDataException($"qiu descriptor setting '{QiuImageSource.BeatsSetting}' must be Simultaneous or PrintedLayout (got '{b}').");
        }

        return new QiuImageSource(d.Size, beats);
    }

    private static MultiLeadImageSource CreateMultiLead(EcgImageSourceDescriptor d)
    {
        int tile = 32;
        IReadOnlyList<ImageEncodingMethod>? methods = null;
        if (d.Settings is { } s)
        {
            if (s.TryGetValue("tileSize", out var t) && !int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out tile))
            {
                throw new InvalidDataException($"multilead descriptor setting 'tileSize' must be an integer (got '{t}').");
            }

            if (s.TryGetValue("methods", out var m) && m.Length > 0)
            {
                methods = m.Split(',').Select(x => Enum.TryParse<ImageEncodingMethod>(x, ignoreCase: true, out var v)
                    ? v
                    : throw new InvalidDataException($"multilead descriptor setting 'methods' has an unknown encoding '{x}'.")).ToArray();
            }
        }

        return new MultiLeadImageSource(d.Size, tile, methods);
    }
}
