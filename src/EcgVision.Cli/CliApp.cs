using System.CommandLine;
using System.CommandLine.Help;
using EcgVision.Cli.Commands;

namespace EcgVision.Cli;

/// <summary>Builds the <c>ecgvision</c> command tree. Each command lives in its own file under <c>Commands/</c> and is registered here.</summary>
internal static class CliApp
{
    /// <summary>The command name users type (the tool's <c>ToolCommandName</c>), shown in help and usage text.</summary>
    public const string ToolName = "ecgvision";

    /// <summary>
    /// Builds the root command. It is a plain <see cref="Command"/> named <see cref="ToolName"/> with the <c>--help</c> and
    /// <c>--version</c> options a <see cref="RootCommand"/> would add, because <see cref="RootCommand"/> always takes its name from the
    /// entry assembly (<c>EcgVision.Cli</c>, which must keep that name; see the csproj), and System.CommandLine 2.0.0 offers no way to
    /// rename it or to customise the usage line. The only <see cref="RootCommand"/> feature given up is the <c>[suggest]</c> directive
    /// used by <c>dotnet-suggest</c> shell completion.
    /// </summary>
    public static Command BuildRoot()
    {
        var root = new Command(ToolName, "ecgvision: ECG case retrieval with image encodings and CLIP-style ECG/report models.")
        {
            new HelpOption(),
            new VersionOption(),
        };
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
