using System.Globalization;
using System.Net;
using System.Text;
using EcgVision.Imaging.Rendering;
using EcgVision.Internal;
using EcgVision.Signals;
using EcgVision.Torch.CaseRetrieval;
using SkiaSharp;

namespace EcgVision.Cli.Pipeline;

/// <summary>One query shown in the demo report: the query record, its result and the archived records of the neighbours.</summary>
internal sealed record DemoQuery(string Title, string Kind, EcgRecord Record, string? QueryImageFile, CaseSearchResult Result, IReadOnlyDictionary<string, EcgRecord> Archive)
{
    /// <summary>A rendering of the signal the digitiser read from the query photo, if it was digitised.</summary>
    public string? DigitizedImageFile { get; init; }
}

/// <summary>Writes the demo's output folder: rendered ECG PNGs, a metrics-table PNG and a self-contained <c>index.html</c> (all text HTML-escaped).</summary>
internal static class DemoReport
{
    private static readonly PaperEcgRenderOptions s_render = new() { Dpi = 60, LabelSizeMillimeters = 4 };

    /// <summary>Renders a record as a paper printout PNG (atomically).</summary>
    public static void RenderEcg(EcgRecord record, string path, string? header = null) =>
        PaperEcgRenderer.RenderPng(record, s_render with { HeaderText = header }, path);

    /// <summary>Writes <c>index.html</c> and the PNGs it links to; returns the files written.</summary>
    public static IReadOnlyList<string> Write(
        string folder, string title, IReadOnlyList<string> summary, CaseRetrievalEvaluation evaluation, IReadOnlyList<DemoQuery> queries,
        IReadOnlyList<(string Name, string[] Values)>? extraRows = null)
    {
        var files = new List<string>();
        string metricsPng = Path.Combine(folder, "metrics.png");
        WriteMetricsPng(evaluation, metricsPng, extraRows);
        files.Add(metricsPng);

        var html = new StringBuilder();
        string E(string? s) => WebUtility.HtmlEncode(s ?? string.Empty);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title>\n<style>")
            .Append("body{font-family:sans-serif;max-width:1200px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:1em 0}")
            .Append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}")
            .Append(".case{display:flex;gap:1em;margin:1em 0;border-top:1px solid #ddd;padding-top:1em}.case img{width:520px;border:1px solid #ccc}")
            .Append(".report{white-space:pre-wrap}.note{color:#666;font-size:90%}</style></head><body>\n");
        html.Append("<h1>").Append(E(title)).Append("</h1>\n<ul>");
        foreach (string line in summary)
        {
            html.Append("<li>").Append(E(line)).Append("</li>");
        }

        html.Append("</ul>\n<h2>Held-out evaluation</h2>\n<p>").Append(E(FormattableString.Invariant(
            $"{evaluation.QueryCount} held-out queries against {evaluation.ArchiveCount} archived cases. Precision and mAP count a retrieved case as relevant when it shares a diagnostic superclass with the query."))).Append("</p>\n<table><tr><th>metric</th>");
        foreach (var row in evaluation.Rows)
        {
            html.Append("<th>").Append(E(row.Method)).Append("</th>");
        }

        html.Append("</tr>\n");
        foreach (var (name, values) in PipelineConsole.MetricRows(evaluation, extraRows))
        {
            html.Append("<tr><td>").Append(E(name)).Append("</td>");
            foreach (string v in values)
            {
                html.Append("<td>").Append(E(v)).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</table>\n<p><img src=\"metrics.png\" alt=\"metrics table\" style=\"max-width:100%\"></p>\n");

        int q = 0;
        foreach (var query in queries)
        {
            q++;
            string queryPng = $"query{q}.png";
            RenderEcg(query.Record, Path.Combine(folder, queryPng), $"Query {query.Record.Metadata.Id}");
            files.Add(Path.Combine(folder, queryPng));
            html.Append("<h2>").Append(E(query.Title)).Append("</h2>\n<div class=\"case\"><img src=\"").Append(E(query.QueryImageFile ?? queryPng))
                .Append("\" alt=\"query ECG\"><div><p><b>Query ").Append(E(query.Record.Metadata.Id)).Append("</b> (").Append(E(query.Kind))
                .Append(")</p><p>Superclasses: ").Append(E(string.Join(", ", query.Record.Metadata.Superclasses))).Append("</p><p class=\"report\">True report: ")
                .Append(E(query.Record.Metadata.Report)).Append("</p><h3>Draft report</h3><p class=\"report\">").Append(E(query.Result.DraftReport.ToString()))
                .Append("</p></div></div>\n");
            if (query.DigitizedImageFile is not null && query.Result.Digitization is { } d)
            {
                html.Append("<div class=\"case\"><img src=\"").Append(E(query.DigitizedImageFile)).Append("\" alt=\"digitised ECG\"><div><p><b>What the digitiser read from the photo</b></p><p>")
                    .Append(E(FormattableString.Invariant($"Rotation {d.RotationDegrees:0.0}°, {d.PixelsPerMillimeter:0.00} px/mm, confidence {d.Confidence:0.00}. Each lead is known only in its printed 2.5-s window; lead II over all 10 s from the rhythm strip. The digitised leads were searched through the signal view.")))
                    .Append("</p></div></div>\n");
            }

            html.Append("<h3>Most similar archived cases</h3>\n");
            int rank = 0;
            foreach (var c in query.Result.Cases)
            {
                rank++;
                string png = $"query{q}-neighbour{rank}.png";
                if (query.Archive.TryGetValue(c.Id, out var record))
                {
                    RenderEcg(record, Path.Combine(folder, png), FormattableString.Invariant($"#{rank} {c.Id} score {c.Score:0.000}"));
                    files.Add(Path.Combine(folder, png));
                }

                html.Append("<div class=\"case\">");
                if (record is not null)
                {
                    html.Append("<img src=\"").Append(E(png)).Append("\" alt=\"neighbour ECG\">");
                }

                html.Append("<div><p><b>#").Append(rank.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(E(c.Id)).Append("</b>, similarity ")
                    .Append(E(c.Score.ToString("0.000", CultureInfo.InvariantCulture))).Append("</p><p>Superclasses: ").Append(E(string.Join(", ", c.Superclasses)))
                    .Append("; codes: ").Append(E(string.Join(", ", c.Codes))).Append("</p><p class=\"report\">").Append(E(c.Report)).Append("</p></div></div>\n");
            }
        }

        html.Append("<p class=\"note\">").Append(E(Retrieval.ReportDrafter.Disclaimer)).Append(" Synthetic data unless stated otherwise.</p>\n</body></html>\n");
        string index = Path.Combine(folder, "index.html");
        AtomicFile.WriteAllText(index, html.ToString());
        files.Add(index);
        return files;
    }

    /// <summary>Draws the metric table into a PNG with the font embedded in EcgVision.Imaging.</summary>
    private static void WriteMetricsPng(CaseRetrievalEvaluation evaluation, string path, IReadOnlyList<(string Name, string[] Values)>? extraRows)
    {
        var rows = PipelineConsole.MetricRows(evaluation, extraRows);
        string[] header = ["metric", .. evaluation.Rows.Select(r => r.Method)];
        const int RowHeight = 28, FirstColumn = 300, Column = 150, Margin = 12;
        int width = (Margin * 2) + FirstColumn + (Column * (header.Length - 1));
        int height = (Margin * 2) + (RowHeight * (rows.Count + 1));
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var typeface = LoadTypeface();
        using var font = new SKFont(typeface, 15);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var line = new SKPaint { Color = new SKColor(200, 200, 200), StrokeWidth = 1 };
        using var shade = new SKPaint { Color = new SKColor(235, 242, 250) };
        for (int r = 0; r <= rows.Count; r++)
        {
            int y = Margin + (r * RowHeight);
            if (r == 0)
            {
                canvas.DrawRect(Margin, y, width - (2 * Margin), RowHeight, shade);
            }

            string[] cells = r == 0 ? header : [rows[r - 1].Name, .. rows[r - 1].Values];
            for (int c = 0; c < cells.Length; c++)
            {
                float x = c == 0 ? Margin + 6 : Margin + FirstColumn + (c * Column) - 8 - font.MeasureText(cells[c]);
                canvas.DrawText(cells[c], x, y + RowHeight - 9, font, text);
            }

            canvas.DrawLine(Margin, y + RowHeight, width - Margin, y + RowHeight, line);
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.WriteAllBytes(path, data.AsSpan());
    }

    private static SKTypeface LoadTypeface()
    {
        var assembly = typeof(PaperEcgRenderer).Assembly;
        string? name = assembly.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith("DejaVuSans.ttf", StringComparison.Ordinal));
        using var stream = name is null ? null : assembly.GetManifestResourceStream(name);
        return stream is null ? SKTypeface.Default : SKTypeface.FromStream(stream) ?? SKTypeface.Default;
    }
}
