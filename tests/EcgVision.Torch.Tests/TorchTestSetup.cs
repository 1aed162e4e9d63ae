using System.Runtime.CompilerServices;
using EcgVision.Torch.Native;

namespace EcgVision.Torch.Tests;

/// <summary>Initialises TorchSharp (with the Debian 12 libstdc++ workaround) before any test touches torch.</summary>
internal static class TorchTestSetup
{
    [ModuleInitializer]
    internal static void Initialize()
    {
        TorchRuntime.EnsureInitialized();
        // One intra-op thread: tiny models gain nothing from more, and on a shared 2-core machine OpenMP spinning costs ~50×.
        TorchSharp.torch.set_num_threads(1);
    }
}

/// <summary>Torch tests run one at a time: they share the process-wide seed and thread settings.</summary>
[CollectionDefinition("Torch", DisableParallelization = true)]
public sealed class TorchCollection
{
}
