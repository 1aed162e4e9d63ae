using System.CommandLine;
using EcgVision.Cli.Commands;

namespace EcgVision.Cli;

/// <summary>Builds the <c>ecgvision</c> command tree. Each command lives in its own file under <c>Commands/</c> and is registered here.</summary>
internal static class CliApp
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("ecgvision: ECG case retrieval with image encodings and CLIP-style ECG/report models.");
        // Commands register themselves here, one line each.
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(SynthCommand.Create());
        root.Subcommands.Add(EncodeCommand.Create());
        root.Subcommands.Add(RenderCommand.Create());
        root.Subcommands.Add(DigitizeCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(IndexCommand.Create());
        root.Subcommands.Add(QueryCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = BuildRoot();
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}
