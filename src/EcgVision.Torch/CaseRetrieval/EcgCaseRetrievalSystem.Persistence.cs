using System.Text.Json;
using EcgVision.Encoding;
using EcgVision.Internal;
using EcgVision.Retrieval;
using EcgVision.Torch.Clip;
using EcgVision.Torch.Internal;
using EcgVision.Torch.Tokenization;

namespace EcgVision.Torch.CaseRetrieval;

public sealed partial class EcgCaseRetrievalSystem
{
    /// <summary>The manifest file name inside a saved system folder.</summary>
    public const string ManifestFileName = "manifest.json";

    /// <summary>The manifest format version written by this library.</summary>
    public const int FormatVersion = 1;

    private const string FormatName = "ecgvision-case-retrieval";
    private const string IndexFileName = "cases.ecgidx";

    /// <summary>Saves the whole system (manifest, tokenizer, each view's checkpoint and case index) as one folder, atomically.</summary>
    /// <param name="folder">The target folder. It may be absent, empty, or an earlier saved system (replaced as a whole); any other
    /// existing folder is refused so user files are never overwritten.</param>
    /// <remarks>Everything is written into a temporary sibling folder that is then renamed into place: a crash leaves the old
    /// folder or the complete new one. Layout: <c>manifest.json</c>, <c>tokenizer/vocab.txt</c>, <c>views/&lt;name&gt;/model/</c>
    /// (an <see cref="EcgClipCheckpoint"/>), <c>views/&lt;name&gt;/cases.ecgidx</c> (a <see cref="CosineRetriever{TKey}"/> file).</remarks>
    /// <exception cref="InvalidOperationException">The system is not trained.</exception>
    /// <exception cref="IOException">The folder exists and is not empty and not a saved system.</exception>
    public void Save(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ObjectDisposedException.ThrowIf(disposed, this);
        var tok = tokenizer ?? throw new InvalidOperationException("The system is not trained; train or load it before saving.");
        string target = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any() && !File.Exists(Path.Combine(target, ManifestFileName)))
        {
            throw new IOException($"Folder '{target}' exists, is not empty and is not a saved case-retrieval system ({ManifestFileName} missing); refusing to overwrite it.");
        }

        if (File.Exists(target))
        {
            throw new IOException($"'{target}' is a file; Save needs a folder path.");
        }

        AtomicDirectory.Write(target, temp =>
        {
            tok.Save(Path.Combine(temp, "tokenizer"));
            var manifestViews = new List<ViewManifest>();
            foreach (var view in views)
            {
                string relative = $"views/{view.Name}";
                string viewDir = Path.Combine(temp, "views", view.Name);
                Directory.CreateDirectory(viewDir);
                EcgClipCheckpoint.Save(Path.Combine(viewDir, "model"), view.Model!);
                string? indexFile = null;
                if (view.Index is { } index)
                {
                    index.Save(Path.Combine(viewDir, IndexFileName), view.Metadata);
                    indexFile = $"{relative}/{IndexFileName}";
                }

                var d = view.Source.Descriptor;
                manifestViews.Add(new ViewManifest(
                    view.Name, new SourceManifest(d.Kind, d.Size, d.Settings?.ToDictionary(p => p.Key, p => p.Value)), $"{relative}/model", indexFile));
            }

            var manifest = new SystemManifest(
                FormatName, FormatVersion, EcgClipCheckpoint.LibraryVersion, DateTimeOffset.UtcNow, "tokenizer", views[0].Embedder!.MaxTextLength, manifestViews);
            AtomicFile.WriteAllText(Path.Combine(temp, ManifestFileName), JsonSerializer.Serialize(manifest, TorchJson.Options));
        });
    }

    /// <summary>Loads a system saved by <see cref="Save"/>, recreating each view's image source through <see cref="EcgImageSourceRegistry"/>.</summary>
    /// <param name="folder">The saved folder.</param>
    /// <param name="options">Runtime settings (drafting, encoding threads); the model shape and vocabulary come from the folder.</param>
    /// <returns>A trained (and, if it was saved indexed, searchable) system.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The manifest or a file it names is missing.</exception>
    /// <exception cref="InvalidDataException">The manifest is not valid JSON, has another format or version, names an unusable view
    /// (a source its factory refuses, a repeated or invalid view name, a text length below 2, a tokenizer larger than the model's
    /// vocabulary) or a path outside the folder, or a file it names is corrupt.</exception>
    /// <exception cref="NotSupportedException">A view's image source kind is not registered.</exception>
    public static EcgCaseRetrievalSystem Load(string folder, EcgCaseRetrievalOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Case-retrieval folder '{folder}' does not exist.");
        }

        string manifestPath = Path.Combine(folder, ManifestFileName);
        if (!File.Exists(manifestPath))
        {
            throw new FileNotFoundException($"Folder '{folder}' has no {ManifestFileName}; it is not a saved case-retrieval system.", manifestPath);
        }

        SystemManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<SystemManifest>(File.ReadAllText(manifestPath), TorchJson.Options)
                ?? throw new InvalidDataException($"Manifest '{manifestPath}' holds null.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Manifest '{manifestPath}' is not valid JSON: {ex.Message}", ex);
        }

        if (manifest.Format != FormatName || manifest.Version != FormatVersion)
        {
            throw new InvalidDataException(
                $"Manifest '{manifestPath}': format must be '{FormatName}' version {FormatVersion} (got '{manifest.Format}' version {manifest.Version}).");
        }

        if (manifest.Views is not { Count: > 0 } || manifest.Views.Any(v => v?.Source is null || string.IsNullOrWhiteSpace(v.Name) || string.IsNullOrWhiteSpace(v.Model)))
        {
            throw new InvalidDataException($"Manifest '{manifestPath}': 'views' must list at least one view with a name, source and model.");
        }

        var tok = WordPieceReportTokenizer.Create(
            Path.Combine(Resolve(folder, manifest.Tokenizer ?? "tokenizer", manifestPath), WordPieceReportTokenizer.VocabularyFileName));
        var sources = manifest.Views.Select(v => CreateSource(v, manifestPath)).ToArray();
        var system = new EcgCaseRetrievalSystem(sources[0], options);
        try
        {
            for (int i = 1; i < sources.Length; i++)
            {
                try
                {
                    system.AddView(manifest.Views[i].Name, sources[i]);
                }
                catch (ArgumentException ex)
                {
                    throw new InvalidDataException($"Manifest '{manifestPath}': views[{i}] is not usable: {ex.Message}", ex);
                }
            }

            system.tokenizer = tok;
            for (int i = 0; i < sources.Length; i++)
            {
                var entry = manifest.Views[i];
                var view = system.views[i];
                var model = EcgClipCheckpoint.LoadModel(Resolve(folder, entry.Model, manifestPath));
                var (c, h, _) = view.Source.Shape;
                if (model.Config.Vision.Channels != c || model.Config.Vision.ImageSize != h)
                {
                    model.Dispose();
                    throw new InvalidDataException(
                        $"Manifest '{manifestPath}': view '{entry.Name}' model expects [{model.Config.Vision.Channels}, {model.Config.Vision.ImageSize}, {model.Config.Vision.ImageSize}] images but its source gives [{c}, {h}, {h}].");
                }

                int maxTextLength = manifest.MaxTextLength > 0 ? Math.Min(manifest.MaxTextLength, model.Config.Text.MaxPositions) : model.Config.Text.MaxPositions;
                if (maxTextLength < 2 || tok.VocabularySize > model.Config.Text.VocabularySize)
                {
                    model.Dispose();
                    throw new InvalidDataException(
                        $"Manifest '{manifestPath}': view '{entry.Name}' needs a text length of at least 2 tokens (maxTextLength {manifest.MaxTextLength}, " +
                        $"model MaxPositions {model.Config.Text.MaxPositions}) and a tokenizer no larger than the model's vocabulary " +
                        $"(tokenizer {tok.VocabularySize}, model {model.Config.Text.VocabularySize}).");
                }

                view.SetModel(model, tok, maxTextLength);
                if (entry.Index is not null)
                {
                    view.Index = CosineRetriever<string>.Load(Resolve(folder, entry.Index, manifestPath), out var metadata);
                    view.Metadata = new Dictionary<string, CaseMetadata>(metadata, StringComparer.Ordinal);
                }
            }

            return system;
        }
        catch
        {
            system.Dispose();
            throw;
        }
    }

    /// <summary>Creates a view's image source; a descriptor the factory refuses (size, settings) is an unusable view.</summary>
    private static IEcgImageSource CreateSource(ViewManifest view, string manifestPath)
    {
        try
        {
            return EcgImageSourceRegistry.Create(new EcgImageSourceDescriptor(view.Source.Kind, view.Source.Size, view.Source.Settings));
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException(
                $"Manifest '{manifestPath}': view '{view.Name}' has an unusable source (kind '{view.Source.Kind}', size {view.Source.Size}): {ex.Message}", ex);
        }
    }

    private static string Resolve(string folder, string relative, string manifestPath)
    {
        if (relative.Contains('\0', StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Manifest '{manifestPath}': path '{relative.Replace("\0", "\\0", StringComparison.Ordinal)}' holds a NUL character.");
        }

        string full = Path.GetFullPath(Path.Combine(folder, relative));
        string root = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        if (!full.StartsWith(root, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Manifest '{manifestPath}': path '{relative}' points outside the folder.");
        }

        return full;
    }

    private sealed record SystemManifest(
        string Format, int Version, string? Library, DateTimeOffset? CreatedUtc, string? Tokenizer, int MaxTextLength, IReadOnlyList<ViewManifest> Views);

    private sealed record ViewManifest(string Name, SourceManifest Source, string Model, string? Index);

    private sealed record SourceManifest(string Kind, int Size, Dictionary<string, string>? Settings);
}
