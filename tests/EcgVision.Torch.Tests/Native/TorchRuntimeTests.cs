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
}
