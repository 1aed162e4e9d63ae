using System.Globalization;
using EcgVision.Torch.CaseRetrieval;
using EcgVision.Torch.Training;
using Spectre.Console;

namespace EcgVision.Cli.Pipeline;

/// <summary>Spectre.Console rendering shared by the pipeline commands: progress bars, metric tables, search results.</summary>
internal static class PipelineConsole
{
    /// <summary>Runs <paramref name="work"/> under a live progress display, one bar per stage and view.</summary>
    public static T Run<T>(Func<IProgress<CaseRetrievalProgress>, T> work)
    {
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var tasks = new Dictionary<(CaseRetrievalStage, string?), ProgressTask>();
                var gate = new object();
                var progress = new ActionProgress<CaseRetrievalProgress>(p =>
                {
                    lock (gate)
                    {
                        var key = (p.Stage, p.View);
                        if (!tasks.TryGetValue(key, out var task))
                        {
                            foreach (var t in tasks.Values.Where(t => !t.IsFinished))
                            {
                                t.Value = t.MaxValue; // a later stage started: the earlier one is done
                            }

                            task = ctx.AddTask(Describe(p), maxValue: Math.Max(1, p.Total));
                            tasks[key] = task;
                        }

                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = Math.Min(p.Completed, task.MaxValue);
                        if (p.Training is { } tp)
                        {
                            task.Description = Markup.Escape(
                                $"Training model ({p.View}) epoch {tp.Epoch}/{tp.Epochs}, loss {tp.Loss.ToString("0.000", CultureInfo.InvariantCulture)}");
                        }
                    }
                });
                result = work(progress);
                lock (gate)
                {
                    foreach (var t in tasks.Values)
                    {
                        t.Value = t.MaxValue;
                    }
                }
            });
        return result;
    }

    /// <summary>Runs one simple step under a progress bar that reports (done, total).</summary>
    public static T Step<T>(string description, Func<Action<int, int>, T> work)
    {
        T result = default!;
        AnsiConsole.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(description), maxValue: 1);
                var gate = new object();
                result = work((done, total) =>
                {
                    lock (gate)
                    {
                        task.MaxValue = Math.Max(1, total);
                        task.Value = done;
                    }
                });
                task.Value = task.MaxValue;
            });
        return result;
    }

    /// <summary>The metric table: one row per metric, one column per method.</summary>
    public static Table MetricsTable(CaseRetrievalEvaluation e, IReadOnlyList<(string Name, string[] Values)>? extraRows = null)
    {
        var table = new Table().Title($"Held-out evaluation: {e.QueryCount} queries against {e.ArchiveCount} archived cases").AddColumn("metric");
        foreach (var row in e.Rows)
        {
            table.AddColumn(new TableColumn(Markup.Escape(row.Method)).RightAligned());
        }

        foreach (var (name, values) in MetricRows(e, extraRows))
        {
            table.AddRow([Markup.Escape(name), .. values.Select(v => Markup.Escape(v))]);
        }

        return table;
    }

    /// <summary>The metric rows as text: (metric name, one formatted value per method; "–" where a method has no such score), then
    /// <paramref name="extraRows"/> (e.g. the demo's photo-query rows).</summary>
    public static IReadOnlyList<(string Name, string[] Values)> MetricRows(CaseRetrievalEvaluation e, IReadOnlyList<(string Name, string[] Values)>? extraRows = null)
    {
        string F(double? v) => v is double d && !double.IsNaN(d) ? d.ToString("0.000", CultureInfo.InvariantCulture) : "–";
        var rows = new List<(string, string[])>
        {
            ($"superclass precision@{e.K}", e.Rows.Select(r => F(r.Label.PrecisionAtK)).ToArray()),
            ($"superclass mAP@{e.K}", e.Rows.Select(r => F(r.Label.MeanAveragePrecisionAtK)).ToArray()),
        };
        foreach (var (label, pick) in new (string, Func<CaseRetrievalScores, double?>)[]
        {
            ("ECG→report R@1", r => r.CrossModal?.ImageToText.RecallAt1),
            ("ECG→report R@5", r => r.CrossModal?.ImageToText.RecallAt5),
            ("ECG→report R@10", r => r.CrossModal?.ImageToText.RecallAt10),
            ("report→ECG R@1", r => r.CrossModal?.TextToImage.RecallAt1),
            ("report→ECG R@5", r => r.CrossModal?.TextToImage.RecallAt5),
            ("report→ECG R@10", r => r.CrossModal?.TextToImage.RecallAt10),
            ("top-1 report BLEU-1", r => r.ReportOverlap.Bleu1),
            ("top-1 report BLEU-4", r => r.ReportOverlap.Bleu4),
            ("top-1 report ROUGE-L", r => r.ReportOverlap.RougeL),
            ("zero-shot macro AUROC", r => r.ZeroShot?.Macro),
        })
        {
            rows.Add((label, e.Rows.Select(r => F(pick(r))).ToArray()));
        }

        if (extraRows is not null)
        {
            rows.AddRange(extraRows);
        }

        return rows;
    }

    /// <summary>Per-epoch training metrics.</summary>
    public static Table EpochTable(IEnumerable<TrainingProgress> history)
    {
        var table = new Table().Title("Training").AddColumns("epoch", "loss", "val ECG→report R@1", "val report→ECG R@1", "val R@10 (mean)", "best");
        foreach (var h in history)
        {
            string F(double? v) => v is double d ? d.ToString("0.000", CultureInfo.InvariantCulture) : "–";
            var m = h.Validation;
            table.AddRow(
                h.Epoch.ToString(CultureInfo.InvariantCulture), F(h.Loss), F(m?.ImageToTextR1), F(m?.TextToImageR1),
                F(m is null ? null : (m.ImageToTextR10 + m.TextToImageR10) / 2), h.IsBest ? "*" : string.Empty);
        }

        return table;
    }

    /// <summary>Prints a search result: the top cases with scores and reports, then the draft report.</summary>
    public static void WriteSearch(CaseSearchResult result, string title)
    {
        var table = new Table().Title(Markup.Escape(title)).AddColumns("#", "case", "score", "superclasses", "report");
        int rank = 1;
        foreach (var c in result.Cases)
        {
            table.AddRow(
                (rank++).ToString(CultureInfo.InvariantCulture), Markup.Escape(c.Id), c.Score.ToString("0.000", CultureInfo.InvariantCulture),
                Markup.Escape(string.Join(",", c.Superclasses)), Markup.Escape(c.Report ?? string.Empty));
        }

        AnsiConsole.Write(table);
        AnsiConsole.Write(new Panel(Markup.Escape(result.DraftReport.ToString())).Header("Draft report"));
    }

    private static string Describe(CaseRetrievalProgress p) => Markup.Escape(p.Stage switch
    {
        CaseRetrievalStage.EncodingImages => $"Encoding images ({p.View})",
        CaseRetrievalStage.TrainingVocabulary => "Training WordPiece vocabulary",
        CaseRetrievalStage.TrainingModel => $"Training model ({p.View})",
        CaseRetrievalStage.Indexing => $"Indexing cases ({p.View})",
        CaseRetrievalStage.Evaluating => $"Embedding held-out records ({p.View})",
        _ => p.Stage.ToString(),
    });
}

/// <summary>An <see cref="IProgress{T}"/> that reports synchronously on the calling thread.</summary>
internal sealed class ActionProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
