using EcgVision.Torch.Native;
using TorchSharp;

namespace EcgVision.Torch.Tests.Native;

[Collection("Torch")]
public class TorchRuntimeTests
{
    [Fact]
    public void EnsureInitialized_TorchComputes()
    {
        TorchRuntime.EnsureInitialized();
        TorchRuntime.EnsureInitialized(); // idempotent
        using var ones = torch.ones(2);
        using var sum = ones.sum();
        sum.item<float>().Should().Be(2f);
    }

    [Fact]
    public void EnsureInitialized_ConcurrentCalls_AllSucceed()
    {
        Parallel.For(0, 8, _ => TorchRuntime.EnsureInitialized());
        using var x = torch.arange(3);
        x.sum().item<long>().Should().Be(3);
    }

    [Fact]
    public void EnsureInitialized_OldLibStdCxx_LoadsPatchedCopyBesideTorchSharp()
    {
        TorchRuntime.EnsureInitialized();
        string? libstdcxx = TorchRuntime.FindProcessLibStdCxx();
        if (!OperatingSystem.IsLinux() || libstdcxx is null)
        {
            return;
        }

        bool systemHasRequired = ElfVersionNeedPatcher.ReadDefinedVersions(File.ReadAllBytes(libstdcxx), libstdcxx)
            .Contains(TorchRuntime.RequiredGlibcxxVersion);
        TorchRuntime.PatchApplied.Should().Be(!systemHasRequired);
        if (!systemHasRequired)
        {
            string copy = Path.Combine(TorchRuntime.ConsolidatedFolder(), "libLibTorchSharp.so");
            ElfVersionNeedPatcher.NeedsVersion(File.ReadAllBytes(copy), copy, "libstdc++.so.6", "GLIBCXX_3.4.32").Should().BeFalse();
            File.ReadLines("/proc/self/maps").Should().Contain(l => l.EndsWith("/cpu/libLibTorchSharp.so", StringComparison.Ordinal));
        }
    }
}
