using System.Globalization;

namespace EcgVision.Signals.Wfdb;

/// <summary>Parses WFDB header text (record line, signal lines, comments).</summary>
internal static class WfdbHeaderParser
{
    /// <summary>Largest header accepted, in characters; real headers are a few kilobytes.</summary>
    public const int MaxHeaderChars = 1 << 20;

    public static WfdbHeader Parse(TextReader reader, string source, int maxSignals)
    {
        // Read in chunks so ordinary (kilobyte) headers allocate little, and stop at the limit so a hostile file cannot exhaust memory.
        var text = new System.Text.StringBuilder();
        var chunk = new char[4096];
        int read;
        while ((read = reader.ReadBlock(chunk, 0, chunk.Length)) > 0)
        {
            text.Append(chunk, 0, read);
            if (text.Length > MaxHeaderChars)
            {
                throw Err(source, "header", $"header is larger than the limit of {MaxHeaderChars} characters.");
            }
        }

        string all = text.ToString();

        var comments = new List<string>();
        var signals = new List<WfdbSignalSpec>();
        WfdbHeader? header = null;
        int declared = 0;
        int lineNumber = 0;
        foreach (ReadOnlySpan<char> rawLine in all.AsSpan().EnumerateLines())
        {
            lineNumber++;
            ReadOnlySpan<char> line = rawLine.Trim();
            if (line.IsEmpty)
            {
                continue;
            }

            if (line[0] == '#')
            {
                comments.Add(line[1..].Trim().ToString());
                continue;
            }

            if (header is null)
            {
                header = ParseRecordLine(line.ToString(), source, maxSignals);
                declared = header.Signals.Count; // placeholder list carries the declared count
                continue;
            }

            if (signals.Count >= declared)
            {
                throw Err(source, "signal count", $"header declares {declared} signals on its record line but has more signal lines (line {lineNumber}: '{Shorten(line.ToString())}').");
            }

            signals.Add(ParseSignalLine(line.ToString(), source, signals.Count));
        }

        if (header is null)
        {
            throw Err(source, "record line", "header has no record line (the file is empty or holds only comments).");
        }

        if (signals.Count != declared)
        {
            throw Err(source, "signal count", $"header declares {declared} signals on its record line but has {signals.Count} signal lines.");
        }

        return header with { Signals = signals.AsReadOnly(), Comments = comments.AsReadOnly() };
    }

    private static WfdbHeader ParseRecordLine(string line, string source, int maxSignals)
    {
        string[] f = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        string name = f[0];
        int slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            throw new NotSupportedException($"{source}: multi-segment WFDB records are not supported (record line '{Shorten(line)}' declares segments '{name[(slash + 1)..]}').");
        }

        if (f.Length < 2)
        {
            throw Err(source, "signal count", $"record line '{Shorten(line)}' must give at least the record name and the number of signals.");
        }

        if (!int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out int nsig) || nsig > maxSignals)
        {
            throw Err(source, "signal count", $"number of signals must be an integer between 0 and {maxSignals} (got '{f[1]}').");
        }

        double fs = 250;
        double? counter = null, baseCounter = null;
        if (f.Length > 2)
        {
            string fsText = f[2];
            int open = fsText.IndexOf('(', StringComparison.Ordinal);
            if (open >= 0)
            {
                if (!fsText.EndsWith(')') || !TryDouble(fsText[(open + 1)..^1], out double bc))
                {
                    throw Err(source, "base counter", $"base counter value in '{fsText}' must be a number in parentheses.");
                }

                baseCounter = bc;
                fsText = fsText[..open];
            }

            int cslash = fsText.IndexOf('/', StringComparison.Ordinal);
            if (cslash >= 0)
            {
                if (!TryDouble(fsText[(cslash + 1)..], out double cf) || !(cf > 0))
                {
                    throw Err(source, "counter frequency", $"counter frequency must be a positive number (got '{f[2]}').");
                }

                counter = cf;
                fsText = fsText[..cslash];
            }

            if (!TryDouble(fsText, out fs) || !double.IsFinite(fs) || fs < 0)
            {
                throw Err(source, "sampling frequency", $"sampling frequency must be a non-negative number (got '{f[2]}').");
            }

            if (fs == 0)
            {
                fs = 250; // WFDB: 0 or absent means the default
            }
        }

        int? nsamp = null;
        if (f.Length > 3)
        {
            if (!long.TryParse(f[3], NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n > int.MaxValue)
            {
                throw Err(source, "samples per signal", $"number of samples per signal must be an integer between 0 and {int.MaxValue} (got '{f[3]}').");
            }

            nsamp = n == 0 ? null : (int)n;
        }

        TimeOnly? baseTime = null;
        DateOnly? baseDate = null;
        if (f.Length > 4)
        {
            baseTime = ParseTime(f[4], source);
        }

        if (f.Length > 5)
        {
            if (!DateOnly.TryParseExact(f[5], ["d/M/yyyy", "dd/MM/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly d))
            {
                throw Err(source, "base date", $"base date must be DD/MM/YYYY (got '{f[5]}').");
            }

            baseDate = d;
        }

        return new WfdbHeader
        {
            RecordName = name,
            SamplingFrequency = fs,
            CounterFrequency = counter,
            BaseCounter = baseCounter,
            SampleCount = nsamp,
            BaseTime = baseTime,
            BaseDate = baseDate,
            Signals = new WfdbSignalSpec[nsig], // replaced by the parsed list; its length is the declared count
        };
    }

    private static TimeOnly ParseTime(string text, string source)
    {
        string[] parts = text.Split(':');
        if (parts.Length is < 1 or > 3)
        {
            throw Err(source, "base time", $"base time must be HH:MM:SS (got '{text}').");
        }

        try
        {
            double seconds = double.Parse(parts[^1], NumberStyles.Float, CultureInfo.InvariantCulture);
            int minutes = parts.Length > 1 ? int.Parse(parts[^2], NumberStyles.None, CultureInfo.InvariantCulture) : 0;
            int hours = parts.Length > 2 ? int.Parse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture) : 0;
            var span = TimeSpan.FromHours(hours) + TimeSpan.FromMinutes(minutes) + TimeSpan.FromSeconds(seconds);
            if (span < TimeSpan.Zero || span >= TimeSpan.FromDays(1))
            {
                throw new FormatException("out of range");
            }

            return TimeOnly.FromTimeSpan(span);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            throw Err(source, "base time", $"base time must be HH:MM:SS within one day (got '{text}').", ex);
        }
    }

    private static WfdbSignalSpec ParseSignalLine(string line, string source, int index)
    {
        // Fields are whitespace-separated; the description is the rest of the line after the eighth field.
        var fields = new List<string>(9);
        int pos = 0;
        string description = "";
        while (pos < line.Length)
        {
            while (pos < line.Length && char.IsWhiteSpace(line[pos]))
            {
                pos++;
            }

            if (pos >= line.Length)
            {
                break;
            }

            if (fields.Count == 8)
            {
                description = line[pos..].Trim();
                break;
            }

            int start = pos;
            while (pos < line.Length && !char.IsWhiteSpace(line[pos]))
            {
                pos++;
            }

            fields.Add(line[start..pos]);
        }

        string Field(string what) => $"{what} of signal {index}";
        if (fields.Count < 2)
        {
            throw Err(source, Field("format"), $"signal line '{Shorten(line)}' must give at least the file name and the format.");
        }

        string fmtText = fields[1];
        int p = 0;
        int format = ReadInt(fmtText, ref p);
        int spf = 1, skew = 0;
        long offset = 0;
        bool ok = p > 0;
        if (ok && p < fmtText.Length && fmtText[p] == 'x')
        {
            p++;
            int s = p;
            spf = ReadInt(fmtText, ref p);
            ok = p > s && spf >= 1;
        }

        if (ok && p < fmtText.Length && fmtText[p] == ':')
        {
            p++;
            int s = p;
            skew = ReadInt(fmtText, ref p);
            ok = p > s;
        }

        if (ok && p < fmtText.Length && fmtText[p] == '+')
        {
            p++;
            int s = p;
            offset = ReadInt(fmtText, ref p);
            ok = p > s;
        }

        if (!ok || p != fmtText.Length)
        {
            throw Err(source, Field("format"), $"format field must be FORMAT[xSAMPLES][:SKEW][+OFFSET] with non-negative integers (got '{fmtText}').");
        }

        if (!WfdbCodec.IsKnown(format))
        {
            if (format is 508 or 516 or 524)
            {
                throw new NotSupportedException($"{source}: {Field("format")}: FLAC-compressed WFDB format {format} is not supported; convert the record to format 16 first.");
            }

            throw Err(source, Field("format"), $"format must be one of 0, 8, 16, 24, 32, 61, 80, 160, 212, 310, 311 (got {format}).");
        }

        var fmt = (WfdbFormat)format;
        double gain = 200;
        int? baseline = null;
        string units = "mV";
        if (fields.Count > 2)
        {
            string g = fields[2];
            int u = g.IndexOf('/', StringComparison.Ordinal);
            if (u >= 0)
            {
                units = g[(u + 1)..];
                g = g[..u];
                if (units.Length == 0)
                {
                    units = "mV";
                }
            }

            int b = g.IndexOf('(', StringComparison.Ordinal);
            if (b >= 0)
            {
                if (!g.EndsWith(')') || !int.TryParse(g[(b + 1)..^1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int bl))
                {
                    throw Err(source, Field("baseline"), $"baseline must be an integer in parentheses after the gain (got '{fields[2]}').");
                }

                baseline = bl;
                g = g[..b];
            }

            if (!TryDouble(g, out gain) || !double.IsFinite(gain) || gain < 0)
            {
                throw Err(source, Field("gain"), $"gain must be a non-negative number (got '{fields[2]}').");
            }

            if (gain == 0)
            {
                gain = 200; // WFDB: an ADC gain of 0 means the default, 200 units per physical unit
            }
        }

        int resolution = fields.Count > 3 ? ParseInt(fields[3], source, Field("ADC resolution")) : 0;
        if (resolution == 0)
        {
            resolution = WfdbCodec.DefaultResolution(fmt);
        }
        else if (resolution is < 0 or > 32)
        {
            throw Err(source, Field("ADC resolution"), $"ADC resolution must be between 0 and 32 bits (got {resolution}).");
        }

        int adcZero = fields.Count > 4 ? ParseInt(fields[4], source, Field("ADC zero")) : 0;
        int? initial = fields.Count > 5 ? ParseInt(fields[5], source, Field("initial value")) : null;
        int? checksum = null;
        if (fields.Count > 6)
        {
            int c = ParseInt(fields[6], source, Field("checksum"));
            if (c is < short.MinValue or > ushort.MaxValue)
            {
                throw Err(source, Field("checksum"), $"checksum must be a 16-bit value, signed or unsigned (got {c}).");
            }

            checksum = c;
        }

        int blockSize = fields.Count > 7 ? ParseInt(fields[7], source, Field("block size")) : 0;
        return new WfdbSignalSpec
        {
            FileName = fields[0],
            Format = fmt,
            SamplesPerFrame = spf,
            Skew = skew,
            ByteOffset = offset,
            Gain = gain,
            Baseline = baseline ?? adcZero,
            Units = units,
            AdcResolution = resolution,
            AdcZero = adcZero,
            InitialValue = initial,
            Checksum = checksum,
            BlockSize = blockSize,
            Description = description,
        };
    }

    private static int ReadInt(string s, ref int p)
    {
        long v = 0;
        int start = p;
        while (p < s.Length && char.IsAsciiDigit(s[p]) && p - start < 10)
        {
            v = (v * 10) + (s[p] - '0');
            p++;
        }

        return v > int.MaxValue ? int.MaxValue : (int)v;
    }

    private static int ParseInt(string text, string source, string field) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw Err(source, field, $"{field} must be an integer (got '{text}').");

    private static bool TryDouble(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>An error whose message starts with the field at fault (the exception prefixes the file).</summary>
    internal static EcgFormatException Err(string source, string field, string rule, Exception? inner = null) =>
        new($"{field}: {rule}", source, field, inner);

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..77] + "...";
}
