using System.Globalization;

namespace EcgVision.Signals.PtbXl;

/// <summary>A small strict parser for PTB-XL's <c>scp_codes</c> column, a Python dict literal such as <c>{'NORM': 100.0, 'SR': 0.0}</c>.</summary>
internal static class ScpCodesParser
{
    /// <summary>Parses the dict; on failure returns <see langword="null"/> and a reason.</summary>
    public static Dictionary<string, double>? TryParse(string text, out string error)
    {
        var result = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        int p = 0;
        error = "";
        SkipWs(text, ref p);
        if (p >= text.Length || text[p] != '{')
        {
            error = $"expected '{{' at position {p}";
            return null;
        }

        p++;
        SkipWs(text, ref p);
        if (p < text.Length && text[p] == '}')
        {
            p++;
        }
        else
        {
            while (true)
            {
                SkipWs(text, ref p);
                if (p >= text.Length || text[p] is not ('\'' or '"'))
                {
                    error = $"expected a quoted code at position {p}";
                    return null;
                }

                char quote = text[p++];
                int start = p;
                while (p < text.Length && text[p] != quote && text[p] != '\\')
                {
                    p++;
                }

                if (p >= text.Length || text[p] != quote || p == start)
                {
                    error = $"unterminated, escaped or empty code starting at position {start - 1}";
                    return null;
                }

                string code = text[start..p];
                p++;
                SkipWs(text, ref p);
                if (p >= text.Length || text[p] != ':')
                {
                    error = $"expected ':' after '{code}' at position {p}";
                    return null;
                }

                p++;
                SkipWs(text, ref p);
                int numStart = p;
                while (p < text.Length && (char.IsAsciiDigit(text[p]) || text[p] is '.' or '-' or '+' or 'e' or 'E'))
                {
                    p++;
                }

                if (!double.TryParse(text.AsSpan(numStart, p - numStart), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                {
                    error = $"expected a finite number for '{code}' at position {numStart}";
                    return null;
                }

                if (!result.TryAdd(code, value))
                {
                    error = $"code '{code}' appears twice";
                    return null;
                }

                SkipWs(text, ref p);
                if (p < text.Length && text[p] == ',')
                {
                    p++;
                    SkipWs(text, ref p);
                    if (p < text.Length && text[p] == '}')
                    {
                        p++;
                        break;
                    }

                    continue;
                }

                if (p < text.Length && text[p] == '}')
                {
                    p++;
                    break;
                }

                error = $"expected ',' or '}}' at position {p}";
                return null;
            }
        }

        SkipWs(text, ref p);
        if (p != text.Length)
        {
            error = $"unexpected text after '}}' at position {p}";
            return null;
        }

        return result;
    }

    /// <summary>Formats codes the way PTB-XL (Python <c>str(dict)</c>) writes them: <c>{'NORM': 100.0, 'SR': 0.0}</c>.</summary>
    public static string Format(IReadOnlyDictionary<string, double> codes) =>
        "{" + string.Join(", ", codes.Select(kv => $"'{kv.Key}': {PythonFloat(kv.Value)}")) + "}";

    /// <summary>Python's <c>repr</c> of a float for the values PTB-XL uses (integral values keep one decimal).</summary>
    public static string PythonFloat(double v) =>
        v == Math.Floor(v) && Math.Abs(v) < 1e15 ? v.ToString("0.0", CultureInfo.InvariantCulture) : v.ToString("R", CultureInfo.InvariantCulture);

    private static void SkipWs(string s, ref int p)
    {
        while (p < s.Length && s[p] is ' ' or '\t')
        {
            p++;
        }
    }
}
