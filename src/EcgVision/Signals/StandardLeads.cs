namespace EcgVision.Signals;

/// <summary>The standard 12-lead names and helpers to map vendor spellings onto them.</summary>
/// <remarks>
/// The standard order is I, II, III, aVR, aVL, aVF, V1–V6 (PTB-XL's true order; some documentation pages swap aVR and aVL).
/// Lookups are case-insensitive, so <c>AVR</c>, <c>avr</c> and <c>aVR</c> all name the same lead.
/// </remarks>
public static class StandardLeads
{
    private static readonly string[] s_twelve = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"];

    /// <summary>The 12 standard leads in their standard order.</summary>
    public static IReadOnlyList<string> TwelveLead { get; } = Array.AsReadOnly(s_twelve);

    /// <summary>The six limb leads (I, II, III, aVR, aVL, aVF).</summary>
    public static IReadOnlyList<string> Limb { get; } = Array.AsReadOnly(s_twelve[..6]);

    /// <summary>The six precordial leads (V1–V6).</summary>
    public static IReadOnlyList<string> Precordial { get; } = Array.AsReadOnly(s_twelve[6..]);

    /// <summary>Maps a lead name to its standard spelling when it names a standard lead.</summary>
    /// <param name="name">A lead name as written by a file or device, e.g. <c>AVR</c>, <c>lead II</c>, <c>MDC_ECG_LEAD_V1</c>.</param>
    /// <returns>The standard spelling (e.g. <c>aVR</c>), or <paramref name="name"/> trimmed when it is not a standard lead.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    public static string Canonicalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string trimmed = name.Trim();
        return TryGetStandardIndex(trimmed, out int index) ? s_twelve[index] : trimmed;
    }

    /// <summary>Finds the position of a standard lead in the standard 12-lead order.</summary>
    /// <param name="name">A lead name; case-insensitive; common prefixes (<c>lead </c>, <c>MDC_ECG_LEAD_</c>) are ignored.</param>
    /// <param name="index">The index 0–11 when found.</param>
    /// <returns><see langword="true"/> when <paramref name="name"/> names one of the 12 standard leads.</returns>
    public static bool TryGetStandardIndex(string? name, out int index)
    {
        index = -1;
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        ReadOnlySpan<char> s = name.AsSpan().Trim();
        foreach (string prefix in (ReadOnlySpan<string>)["MDC_ECG_LEAD_", "lead ", "lead_", "lead"])
        {
            if (s.Length > prefix.Length && s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                s = s[prefix.Length..].Trim();
                break;
            }
        }

        for (int i = 0; i < s_twelve.Length; i++)
        {
            if (s.Equals(s_twelve[i], StringComparison.OrdinalIgnoreCase))
            {
                index = i;
                return true;
            }
        }

        return false;
    }
}
