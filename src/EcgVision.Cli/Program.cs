using EcgVision.Cli;

return await CliApp.RunAsync(args).ConfigureAwait(false);
