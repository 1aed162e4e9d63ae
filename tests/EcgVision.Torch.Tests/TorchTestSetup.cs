using System.Runtime.CompilerServices;
using EcgVision.Torch.Native;

namespace EcgVision.Torch.Tests;

/// <summary>Initialises TorchSharp (with the Debian 12 libstdc++ workaround) before any test touches torch.</summary>
internal static class TorchTestSetup
{
    [ModuleInitializer]
    internal static void Initialize() => TorchRuntime.EnsureInitialized();
}

/// <summary>Torch tests run one at a time: they share the process-wide seed and thread settings.</summary>
[CollectionDefinition("Torch", DisableParallelization = true)]
public sealed class TorchCollection
{
}
