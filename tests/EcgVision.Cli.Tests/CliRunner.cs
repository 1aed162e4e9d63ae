using EcgVision.Cli;

namespace EcgVision.Cli.Tests;

/// <summary>Runs the <c>ecgvision</c> command tree in-process and captures stdout and stderr.</summary>
/// <remarks>Console redirection is process-wide, so every CLI test class joins the non-parallel "Console" collection.</remarks>
internal static class CliRunner
{
    private static readonly SemaphoreSlim s_gate = new(1, 1);

    public static async Task<(int ExitCode, string Out, string Err)> RunAsync(params string[] args)
    {
        await s_gate.WaitAsync();
        var oldOut = Console.Out;
        var oldErr = Console.Error;
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        try
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            int code = await CliApp.RunAsync(args);
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
            s_gate.Release();
        }
    }
}

[CollectionDefinition("Console", DisableParallelization = true)]
public sealed class ConsoleCollection;
