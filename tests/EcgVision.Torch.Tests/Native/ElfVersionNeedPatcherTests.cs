using EcgVision.Torch.Native;

namespace EcgVision.Torch.Tests.Native;

public class ElfVersionNeedPatcherTests
{
    private static string PackageBridge()
    {
        string root = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } env
            ? env
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
    }

    private static byte[] ReadBridge()
    {
        string path = PackageBridge();
        File.Exists(path).Should().BeTrue($"the TorchSharp 0.107.0 package is restored for this test project ({path})");
        return File.ReadAllBytes(path);
    }

    [Fact]
    public void ElfHash_KnownValues()
    {
        // Values as stored by the GNU linker in vna_hash for these names.
        ElfVersionNeedPatcher.ElfHash("GLIBCXX_3.4").Should().Be(0x08922974u);
        ElfVersionNeedPatcher.ElfHash("GLIBC_2.2.5").Should().Be(0x09691a75u);
    }

    [Fact]
    public void ElfHash_MatchesEveryVnaHashOfTheRealLibrary()
    {
        byte[] elf = ReadBridge();
        var needs = ElfVersionNeedPatcher.EnumerateNeeds(elf, ElfVersionNeedPatcher.ReadSections(elf, "bridge"), "bridge");
        needs.Should().HaveCountGreaterThan(20);
        needs.Should().OnlyContain(n => n.Hash == ElfVersionNeedPatcher.ElfHash(n.Name));
    }

    [Fact]
    public void RetargetVersionNeed_RealLibrary_RequiresOnlyFallbackVersion()
    {
        byte[] original = ReadBridge();
        ElfVersionNeedPatcher.NeedsVersion(original, "bridge", "libstdc++.so.6", "GLIBCXX_3.4.32").Should().BeTrue();

        byte[] patched = ElfVersionNeedPatcher.RetargetVersionNeed(
            original, "bridge", "libstdc++.so.6", "GLIBCXX_3.4.32", "GLIBCXX_3.4.30", ["_ZSt21ios_base_library_initv"]);

        ElfVersionNeedPatcher.NeedsVersion(patched, "patched", "libstdc++.so.6", "GLIBCXX_3.4.32").Should().BeFalse();
        ElfVersionNeedPatcher.NeedsVersion(patched, "patched", "libstdc++.so.6", "GLIBCXX_3.4.30").Should().BeTrue();
        patched.Length.Should().Be(original.Length);
        int differing = original.Zip(patched).Count(p => p.First != p.Second);
        differing.Should().BeInRange(1, 8, "only vna_hash and vna_name of one Vernaux entry change");
        original.Should().Equal(File.ReadAllBytes(PackageBridge()), "the input is never modified");
    }

    [Fact]
    public void RetargetVersionNeed_UnexpectedBoundSymbol_Refuses()
    {
        byte[] original = ReadBridge();
        var act = () => ElfVersionNeedPatcher.RetargetVersionNeed(
            original, "bridge", "libstdc++.so.6", "GLIBCXX_3.4.32", "GLIBCXX_3.4.30", ["some_other_symbol"]);
        act.Should().Throw<InvalidDataException>().WithMessage("*_ZSt21ios_base_library_initv*");
    }

    [Fact]
    public void RetargetVersionNeed_MissingVersion_Refuses()
    {
        byte[] original = ReadBridge();
        var act = () => ElfVersionNeedPatcher.RetargetVersionNeed(
            original, "bridge", "libstdc++.so.6", "GLIBCXX_9.9", "GLIBCXX_3.4.30", ["_ZSt21ios_base_library_initv"]);
        act.Should().Throw<InvalidDataException>().WithMessage("*GLIBCXX_9.9*found 0*");
    }

    [Fact]
    public void ReadSections_NotElfOrTruncated_Throws()
    {
        var notElf = () => ElfVersionNeedPatcher.ReadDefinedVersions(new byte[100], "x.so");
        notElf.Should().Throw<InvalidDataException>().WithMessage("*x.so*magic*");

        byte[] truncated = ReadBridge().AsSpan(0, 4096).ToArray();
        var act = () => ElfVersionNeedPatcher.NeedsVersion(truncated, "t.so", "libstdc++.so.6", "GLIBCXX_3.4.32");
        act.Should().Throw<InvalidDataException>().WithMessage("*t.so*");
    }

    [Fact]
    public void ReadDefinedVersions_ProcessLibStdCxx_ListsGlibcxxVersions()
    {
        string? path = TorchRuntime.FindProcessLibStdCxx();
        if (path is null || !OperatingSystem.IsLinux())
        {
            return;
        }

        File.ReadLines("/proc/self/maps").Should().Contain(l => l.EndsWith(path, StringComparison.Ordinal), "it is the libstdc++ this process uses");
        var versions = ElfVersionNeedPatcher.ReadDefinedVersions(File.ReadAllBytes(path), path);
        versions.Should().Contain("GLIBCXX_3.4").And.Contain("GLIBCXX_3.4.30");
    }
}
