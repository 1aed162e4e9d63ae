namespace EcgVision.Testing;

/// <summary>Locates the project's <c>../shared</c> folder (real PTB-XL samples, clinical formats, pyts reference outputs).</summary>
/// <remarks>
/// CI always has it; a user's fresh clone may not, so tests that need it use <see cref="SharedDataFactAttribute"/> /
/// <see cref="SharedDataTheoryAttribute"/>, which skip with a clear reason when it is absent.
/// Set <c>ECGVISION_SHARED</c> to point somewhere else.
/// </remarks>
internal static class SharedData
{
    private static readonly Lazy<string?> s_root = new(FindRoot);

    /// <summary>The shared folder, or <see langword="null"/> when absent.</summary>
    public static string? Root => s_root.Value;

    /// <summary>The repository root (the folder holding EcgVision.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string SkipReason(string relative) =>
        $"Needs ../shared/{relative} (present in CI; absent on this clone). Set ECGVISION_SHARED to run it.";

    /// <summary>Full path of a file or folder under the shared folder, or <see langword="null"/> when it is absent.</summary>
    public static string? TryGet(string relative)
    {
        if (Root is null)
        {
            return null;
        }

        string p = Path.Combine(Root, relative);
        return File.Exists(p) || Directory.Exists(p) ? p : null;
    }

    /// <summary>Full path under the shared folder; throws when absent (use inside tests guarded by the attributes).</summary>
    public static string Get(string relative) =>
        TryGet(relative) ?? throw new InvalidOperationException(SkipReason(relative));

    private static string? FindRoot()
    {
        string? env = Environment.GetEnvironmentVariable("ECGVISION_SHARED");
        if (!string.IsNullOrEmpty(env))
        {
            return Directory.Exists(env) ? Path.GetFullPath(env) : null;
        }

        string candidate = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));
        return Directory.Exists(candidate) ? candidate : null;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EcgVision.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}

/// <summary>A fact that runs only when <c>../shared/{relative}</c> exists, and otherwise skips with a clear reason.</summary>
internal sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute(string relative = "")
    {
        if (SharedData.TryGet(relative) is null)
        {
            Skip = SharedData.SkipReason(relative);
        }
    }
}

/// <summary>A theory that runs only when <c>../shared/{relative}</c> exists, and otherwise skips with a clear reason.</summary>
internal sealed class SharedDataTheoryAttribute : TheoryAttribute
{
    public SharedDataTheoryAttribute(string relative = "")
    {
        if (SharedData.TryGet(relative) is null)
        {
            Skip = SharedData.SkipReason(relative);
        }
    }
}
