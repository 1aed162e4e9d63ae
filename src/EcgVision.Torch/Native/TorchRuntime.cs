using System.Reflection;
using System.Runtime.InteropServices;
using EcgVision.Internal;
using TorchSharp;

namespace EcgVision.Torch.Native;

/// <summary>Loads TorchSharp's native runtime, working around an older system libstdc++ where needed.</summary>
/// <remarks>
/// <para>
/// TorchSharp 0.107.0's <c>libLibTorchSharp.so</c> was linked against GCC 13's libstdc++ and asks for the symbol version
/// <c>GLIBCXX_3.4.32</c>, which Debian 12 and Ubuntu 22.04 (GCC 12, newest tag <c>GLIBCXX_3.4.30</c>) do not have, so the
/// library fails to load. The only symbol bound to that version is <c>std::ios_base_library_init()</c>, which GCC 13's
/// <c>&lt;iostream&gt;</c> references only to record the dependency; it is never called.
/// </para>
/// <para>
/// On such systems (and only there) this class copies <c>libLibTorchSharp.so</c> to <c>cpu/</c> beside
/// <c>TorchSharp.dll</c>, the folder TorchSharp's own fallback loader consolidates native files into and loads from, and
/// rewrites in that copy the one <c>.gnu.version_r</c> entry so it requires <c>GLIBCXX_3.4.30</c> instead. The NuGet cache
/// and system libraries are never modified. See docs/torchsharp-on-older-linux.md.
/// </para>
/// <para>Every public entry point of EcgVision.Torch that touches torch calls <see cref="EnsureInitialized"/>.</para>
/// </remarks>
public static class TorchRuntime
{
    /// <summary>The libstdc++ version tag TorchSharp 0.107.0's native bridge requires.</summary>
    public const string RequiredGlibcxxVersion = "GLIBCXX_3.4.32";

    /// <summary>The version tag the patched copy requires instead (present since GCC 12).</summary>
    public const string FallbackGlibcxxVersion = "GLIBCXX_3.4.30";

    internal const string LibStdCxx = "libstdc++.so.6";
    internal const string NativeBridgeFileName = "libLibTorchSharp.so";
    internal static readonly string[] SafeSymbols = ["_ZSt21ios_base_library_initv"];

    private static readonly object Gate = new();
    private static volatile bool initialized;

    /// <summary>Whether the patched copy of the native bridge was needed in this process (after <see cref="EnsureInitialized"/>).</summary>
    public static bool PatchApplied { get; private set; }

    /// <summary>Loads TorchSharp's CPU backend once per process, applying the libstdc++ workaround first if this system needs it.</summary>
    /// <remarks>Idempotent and thread-safe; cheap after the first call.</remarks>
    /// <exception cref="InvalidOperationException">The native runtime cannot be loaded; the message says why and what to do.</exception>
    public static void EnsureInitialized()
    {
        if (initialized)
        {
            return;
        }

        lock (Gate)
        {
            if (initialized)
            {
                return;
            }

            if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64 && !SystemLibStdCxxHasRequiredVersion())
            {
                PrepareConsolidatedBridge();
                PatchApplied = true;
            }

            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
            }
            catch (Exception ex) when (ex is NotSupportedException or DllNotFoundException or InvalidOperationException or TypeInitializationException)
            {
                throw new InvalidOperationException(
                    "TorchSharp's native runtime could not be loaded" +
                    (PatchApplied ? $" even with the {RequiredGlibcxxVersion}→{FallbackGlibcxxVersion} workaround applied in '{ConsolidatedFolder()}'" : string.Empty) +
                    ". Reference the TorchSharp-cpu (or a CUDA) package from your application. See docs/torchsharp-on-older-linux.md. " +
                    $"Inner error: {ex.Message}",
                    ex);
            }

            initialized = true;
        }
    }

    /// <summary>Runs <see cref="EnsureInitialized"/> and returns <paramref name="value"/>; for base-constructor arguments of modules.</summary>
    internal static T Initialized<T>(T value)
    {
        EnsureInitialized();
        return value;
    }

    /// <summary>Path of the libstdc++ this process uses (already mapped, or the one the dynamic linker would pick).</summary>
    internal static string? FindProcessLibStdCxx()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/maps"))
            {
                // The mapping names the real file, e.g. /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30.
                int slash = line.IndexOf('/', StringComparison.Ordinal);
                if (slash < 0)
                {
                    continue;
                }

                string path = line[slash..];
                string name = Path.GetFileName(path);
                if ((name == LibStdCxx || name.StartsWith(LibStdCxx + ".", StringComparison.Ordinal)) && File.Exists(path))
                {
                    return path;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        string[] candidates =
        [
            "/lib/x86_64-linux-gnu/" + LibStdCxx, "/usr/lib/x86_64-linux-gnu/" + LibStdCxx, "/usr/lib64/" + LibStdCxx,
            "/lib64/" + LibStdCxx, "/usr/lib/" + LibStdCxx,
        ];
        return candidates.FirstOrDefault(File.Exists);
    }

    private static bool SystemLibStdCxxHasRequiredVersion()
    {
        string? path = FindProcessLibStdCxx();
        if (path is null)
        {
            // No libstdc++ found where we can read it: let TorchSharp try unpatched and report its own error.
            return true;
        }

        byte[] bytes = File.ReadAllBytes(path);
        return ElfVersionNeedPatcher.ReadDefinedVersions(bytes, path).Contains(RequiredGlibcxxVersion);
    }

    internal static string ConsolidatedFolder() =>
        Path.Combine(Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? AppContext.BaseDirectory, "cpu");

    private static void PrepareConsolidatedBridge()
    {
        string folder = ConsolidatedFolder();
        string target = Path.Combine(folder, NativeBridgeFileName);
        string? packagesRoot = NuGetPackagesRoots().FirstOrDefault(root => IsUnder(folder, root));
        if (packagesRoot is not null)
        {
            throw new InvalidOperationException(
                $"TorchSharp.dll is loaded from the NuGet cache ('{Path.GetDirectoryName(folder)}'), and the libstdc++ workaround would have to write into " +
                $"that cache, which EcgVision never modifies. This system's libstdc++ lacks {RequiredGlibcxxVersion}. Build or publish the application " +
                "so that TorchSharp.dll is copied into its output folder (the default for dotnet build/run/test), or install a libstdc++ from GCC 13 or later.");
        }

        if (File.Exists(target) && !NeedsRequiredVersion(target))
        {
            LinkSiblingNatives(folder);
            return; // already patched by an earlier run
        }

        string source = FindNativeBridge()
            ?? throw new InvalidOperationException(
                $"Cannot find TorchSharp's native '{NativeBridgeFileName}' next to the application (runtimes/linux-x64/native), in the deps.json " +
                "probing folders or in the NuGet package folder, so the libstdc++ workaround cannot be applied. Reference the TorchSharp-cpu package.");

        byte[] original = File.ReadAllBytes(source);
        byte[] patched;
        try
        {
            patched = ElfVersionNeedPatcher.RetargetVersionNeed(
                original, source, LibStdCxx, RequiredGlibcxxVersion, FallbackGlibcxxVersion, SafeSymbols);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidOperationException(
                $"This system's libstdc++ lacks {RequiredGlibcxxVersion}, and '{source}' cannot be patched safely to use {FallbackGlibcxxVersion}: {ex.Message} " +
                "Install a libstdc++ from GCC 13 or later, or use a TorchSharp build linked against an older one.",
                ex);
        }

        try
        {
            Directory.CreateDirectory(folder);
            AtomicFile.WriteAllBytes(target, patched);
            LinkSiblingNatives(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"Cannot write the patched native bridge to '{target}' ({ex.Message}). TorchSharp loads its fallback copy only from the 'cpu' folder " +
                "beside TorchSharp.dll, so that folder must be writable once (run the application once from a writable output folder, or copy a " +
                "patched file there at deployment time).",
                ex);
        }
    }

    private static bool NeedsRequiredVersion(string path)
    {
        try
        {
            return ElfVersionNeedPatcher.NeedsVersion(File.ReadAllBytes(path), path, LibStdCxx, RequiredGlibcxxVersion);
        }
        catch (InvalidDataException)
        {
            return true; // a damaged copy gets replaced
        }
    }

    /// <summary>
    /// TorchSharp's fallback also copies libtorch's ~475 MB of libraries into <c>cpu/</c>; symbolic links to the copies the
    /// build already placed beside the application do the same job without the copy. Best effort: TorchSharp copies any that are missing.
    /// </summary>
    private static void LinkSiblingNatives(string folder)
    {
        string? torchFolder = NativeSearchFolders().FirstOrDefault(f => File.Exists(Path.Combine(f, "libtorch_cpu.so")));
        if (torchFolder is null)
        {
            return;
        }

        foreach (string file in Directory.EnumerateFiles(torchFolder, "*.so*"))
        {
            string name = Path.GetFileName(file);
            string link = Path.Combine(folder, name);
            if (name == NativeBridgeFileName || File.Exists(link))
            {
                continue;
            }

            try
            {
                File.CreateSymbolicLink(link, Path.GetFullPath(file));
            }
            catch (IOException)
            {
                // another process made it first, or links are unsupported here: TorchSharp copies the file instead
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>Whether a libtorch CUDA backend is among the application's native files (asking TorchSharp without one prints a long trace).</summary>
    internal static bool HasCudaBackend() =>
        NativeSearchFolders().Any(f => File.Exists(Path.Combine(f, "libtorch_cuda.so")) || File.Exists(Path.Combine(f, "torch_cuda.dll")));

    internal static string? FindNativeBridge() =>
        NativeSearchFolders().Select(f => Path.Combine(f, NativeBridgeFileName)).FirstOrDefault(File.Exists);

    private static IEnumerable<string> NativeSearchFolders()
    {
        const string rid = "runtimes/linux-x64/native";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        IEnumerable<string> Candidates()
        {
            // The host's native search folders come from deps.json (app-local runtimes/... or NuGet cache folders).
            if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string native)
            {
                foreach (string dir in native.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                {
                    yield return dir;
                }
            }

            yield return Path.Combine(AppContext.BaseDirectory, rid);
            string torchSharpDir = Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? AppContext.BaseDirectory;
            yield return Path.Combine(torchSharpDir, rid);
            yield return Path.GetFullPath(Path.Combine(torchSharpDir, "..", "..", rid)); // TorchSharp.dll inside its package

            string version = TorchSharpPackageVersion();
            foreach (string root in NuGetPackagesRoots())
            {
                yield return Path.Combine(root, "torchsharp", version, rid);
            }
        }

        foreach (string dir in Candidates())
        {
            string full = Path.GetFullPath(dir);
            if (seen.Add(full) && Directory.Exists(full))
            {
                yield return full;
            }
        }
    }

    private static string TorchSharpPackageVersion()
    {
        var assembly = typeof(torch).Assembly;
        string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrEmpty(informational))
        {
            return informational.Split('+')[0];
        }

        var v = assembly.GetName().Version;
        return v is null ? "0.107.0" : $"{v.Major}.{v.Minor}.{v.Build}";
    }

    private static IEnumerable<string> NuGetPackagesRoots()
    {
        if (AppContext.GetData("PROBING_DIRECTORIES") is string probing)
        {
            foreach (string dir in probing.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                yield return Path.GetFullPath(dir);
            }
        }

        if (Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } env)
        {
            yield return Path.GetFullPath(env);
        }

        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (home.Length > 0)
        {
            yield return Path.Combine(home, ".nuget", "packages");
        }
    }

    private static bool IsUnder(string path, string root)
    {
        string p = Path.GetFullPath(path).TrimEnd('/') + "/";
        string r = Path.GetFullPath(root).TrimEnd('/') + "/";
        return p.StartsWith(r, StringComparison.Ordinal);
    }
}
