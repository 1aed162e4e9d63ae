using System.Globalization;
using EcgVision.Signals;

namespace EcgVision.Internal;

/// <summary>Shared steps of the clinical-format readers.</summary>
internal static class EcgFormatHelpers
{
    /// <summary>Builds a record from named leads (millivolts), canonicalising names and checking lengths and duplicates.</summary>
    public static EcgRecord BuildRecord(IReadOnlyList<(string Name, float[] Samples)> leads, double samplingRate, EcgMetadata metadata, string source, string what)
    {
        if (leads.Count == 0)
        {
            throw new EcgFormatException($"the {what} holds no lead.", source, what);
        }

        int n = leads[0].Samples.Length;
        var names = new string[leads.Count];
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < leads.Count; i++)
        {
            names[i] = StandardLeads.Canonicalize(leads[i].Name);
            if (names[i].Length == 0)
            {
                throw new EcgFormatException($"lead {i} of the {what} has an empty name.", source, "lead name");
            }

            if (!seen.Add(names[i]))
            {
                throw new EcgFormatException($"lead names must be distinct, but '{names[i]}' appears twice in the {what}.", source, "lead name");
            }

            if (leads[i].Samples.Length != n)
            {
                throw new EcgFormatException($"all leads must have the same length: lead '{names[0]}' has {n} samples but '{names[i]}' has {leads[i].Samples.Length} in the {what}.", source, "sample count");
            }
        }

        if (n == 0)
        {
            throw new EcgFormatException($"the {what} holds no samples.", source, "sample count");
        }

        if (!double.IsFinite(samplingRate) || samplingRate <= 0)
        {
            throw new EcgFormatException($"the sampling rate must be finite and positive (got {samplingRate.ToString(CultureInfo.InvariantCulture)} Hz) in the {what}.", source, "sampling rate");
        }

        var data = new float[leads.Count * n];
        for (int i = 0; i < leads.Count; i++)
        {
            leads[i].Samples.CopyTo(data, i * n);
        }

        return new EcgRecord(data, samplingRate, names, metadata, takeOwnership: true);
    }

    /// <summary>Adds the four derived limb leads (Einthoven / Goldberger) when I and II are present and they are absent.</summary>
    public static void DeriveLimbLeads(List<(string Name, float[] Samples)> leads)
    {
        float[]? i = Find(leads, "I");
        float[]? ii = Find(leads, "II");
        if (i is null || ii is null || i.Length != ii.Length)
        {
            return;
        }

        int n = i.Length;
        (string Name, Func<int, float> F)[] derived =
        [
            ("III", k => ii[k] - i[k]),
            ("aVR", k => -0.5f * (i[k] + ii[k])),
            ("aVL", k => i[k] - 0.5f * ii[k]),
            ("aVF", k => ii[k] - 0.5f * i[k]),
        ];
        foreach (var (name, f) in derived)
        {
            if (Find(leads, name) is null)
            {
                var lead = new float[n];
                for (int k = 0; k < n; k++)
                {
                    lead[k] = f(k);
                }

                leads.Add((name, lead));
            }
        }
    }

    /// <summary>Reorders leads into the standard 12-lead order first, others after in file order.</summary>
    public static List<(string Name, float[] Samples)> StandardOrder(List<(string Name, float[] Samples)> leads) =>
        [.. leads.Select((l, pos) => (l, pos))
            .OrderBy(x => StandardLeads.TryGetStandardIndex(x.l.Name, out int idx) ? idx : 12 + x.pos)
            .Select(x => x.l)];

    private static float[]? Find(List<(string Name, float[] Samples)> leads, string name)
    {
        foreach (var (n, s) in leads)
        {
            if (StandardLeads.TryGetStandardIndex(n, out int a) && StandardLeads.TryGetStandardIndex(name, out int b) && a == b)
            {
                return s;
            }
        }

        return null;
    }

    /// <summary>Millivolts per unit of a voltage unit name (uV, µV, mV, V, nV), or null when not a voltage unit.</summary>
    public static double? MillivoltsPer(string? unit) => unit?.Trim() switch
    {
        "uV" or "µV" or "μV" or "UV" or "MICROVOLTS" or "microvolts" => 1e-3,
        "mV" or "MV" or "MILLIVOLTS" or "millivolts" => 1.0,
        "nV" or "NV" or "NANOVOLTS" => 1e-6,
        "V" or "VOLTS" => 1e3,
        _ => null,
    };

    /// <summary>Reads a whole binary stream into memory, refusing more than <paramref name="maxBytes"/> (checked before and while reading).</summary>
    public static byte[] ReadAllBounded(Stream stream, long maxBytes, string source, string format)
    {
        if (stream.CanSeek && stream.Length - stream.Position > maxBytes)
        {
            throw new EcgFormatException($"the content is {stream.Length - stream.Position} bytes; {format} files are read up to {maxBytes} bytes.", source, "file size");
        }

        using var copy = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (copy.Length + n > maxBytes)
            {
                throw new EcgFormatException($"the content is more than {maxBytes} bytes, the most read from {format} files.", source, "file size");
            }

            copy.Write(buffer, 0, n);
        }

        return copy.ToArray();
    }

    public static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static bool TryParseDouble(string? s, out double value) =>
        double.TryParse(s?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
