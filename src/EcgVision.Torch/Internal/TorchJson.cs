using System.Text.Json;
using System.Text.Json.Serialization;

namespace EcgVision.Torch.Internal;

/// <summary>JSON settings shared by configs, options and checkpoint metadata.</summary>
internal static class TorchJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
