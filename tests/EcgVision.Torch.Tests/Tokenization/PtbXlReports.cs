using System.Text;
using EcgVision.Testing;

namespace EcgVision.Torch.Tests.Tokenization;

/// <summary>Reads the <c>report</c> column of PTB-XL's <c>ptbxl_database.csv</c> (RFC 4180: quoted fields, doubled quotes).</summary>
internal static class PtbXlReports
{
    public const string Folder = "data/ptb-xl";

    private static readonly Lazy<IReadOnlyList<string>> s_reports = new(Load);

    public static IReadOnlyList<string> All => s_reports.Value;

    private static IReadOnlyList<string> Load()
    {
        string path = SharedData.Get(Folder + "/ptbxl_database.csv");
        var rows = ParseCsv(File.ReadAllText(path, System.Text.Encoding.UTF8));
        int column = rows[0].IndexOf("report");
        column.Should().BeGreaterThanOrEqualTo(0, "ptbxl_database.csv has a report column");
        return [.. rows.Skip(1).Where(r => r.Count > column).Select(r => r[column])];
    }

    internal static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add(row);
        }

        return rows;
    }
}
