using System.Text;
using EcgVision.Testing;

namespace EcgVision.Tests.Signals.Formats;

/// <summary>Sample files of ../shared/data/formats and helpers to damage them.</summary>
internal static class FormatSamples
{
    public const string Folder = "data/formats";

    public static string Path(string relative) => SharedData.Get($"{Folder}/{relative}");

    public static byte[] Bytes(string relative) => File.ReadAllBytes(Path(relative));

    public static string Text(string relative, System.Text.Encoding? encoding = null) => File.ReadAllText(Path(relative), encoding ?? System.Text.Encoding.UTF8);

    public static MemoryStream Stream(string text, System.Text.Encoding? encoding = null) => new((encoding ?? System.Text.Encoding.UTF8).GetBytes(text));

    /// <summary>Replaces the first occurrence of <paramref name="old"/>; fails when absent so that tests cannot silently test nothing.</summary>
    public static string ReplaceFirst(string text, string old, string replacement)
    {
        int i = text.IndexOf(old, StringComparison.Ordinal);
        i.Should().BeGreaterThanOrEqualTo(0, "the sample must contain '{0}'", old);
        return string.Concat(text.AsSpan(0, i), replacement, text.AsSpan(i + old.Length));
    }
}
