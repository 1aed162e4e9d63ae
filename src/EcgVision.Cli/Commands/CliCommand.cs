using System.CommandLine;
using System.Globalization;

namespace EcgVision.Cli.Commands;

/// <summary>Shared plumbing for commands: turns every failure a user can cause into one clear line on stderr and a non-zero exit code.</summary>
internal static class CliCommand
{
    /// <summary>Exit code for bad input (missing or malformed files, bad arguments).</summary>
    public const int InputError = 2;

    /// <summary>Exit code for an unexpected failure.</summary>
    public const int InternalError = 3;

    /// <summary>Sets the command's action, wrapping it in the shared error handling.</summary>
    public static void SetHandler(Command command, Func<ParseResult, CancellationToken, Task<int>> action)
    {
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                return await action(parseResult, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("ecgvision: cancelled.");
                return 130;
            }
            catch (Exception ex) when (IsUserError(ex))
            {
                Console.Error.WriteLine($"ecgvision {command.Name}: error: {OneLine(ex.Message)}");
                return InputError;
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"ecgvision {command.Name}: internal error ({ex.GetType().Name}): {OneLine(ex.Message)}");
                if (Environment.GetEnvironmentVariable("ECGVISION_DEBUG") == "1")
                {
                    Console.Error.WriteLine(ex);
                }

                return InternalError;
            }
        });
    }

    /// <summary>Synchronous overload.</summary>
    public static void SetHandler(Command command, Func<ParseResult, int> action) =>
        SetHandler(command, (p, _) => Task.FromResult(action(p)));

    private static bool IsUserError(Exception ex) => ex is IOException or UnauthorizedAccessException or FormatException
        or InvalidDataException or ArgumentException or KeyNotFoundException or NotSupportedException or InvalidOperationException;

    private static string OneLine(string message) =>
        message.ReplaceLineEndings(" ").Trim();

    /// <summary>Formats a number with the invariant culture.</summary>
    public static string Inv(double value, string format = "0.###") => value.ToString(format, CultureInfo.InvariantCulture);
}
