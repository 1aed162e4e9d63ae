namespace EcgVision.Internal;

/// <summary>
/// SCP-ECG lead identifiers (EN 1064 section 3 table; the same numbers are the DICOM SCPECG scheme <c>5.6.3-9-n</c> and the
/// MDC <c>2:n</c> lead codes): 1 = I, 2 = II, 3–8 = V1–V6, 61 = III, 62 = aVR, 63 = aVL, 64 = aVF and the others below.
/// </summary>
internal static class ScpLeadCodes
{
    private static readonly string[] s_low =
    [
        "", "I", "II", "V1", "V2", "V3", "V4", "V5", "V6", "V7", "V2R", "V3R", "V4R", "V5R", "V6R", "V7R", "X", "Y", "Z",
        "CC5", "CM5", "LA", "RA", "LL", "fI", "fE", "fC", "fA", "fM", "fF", "fH",
    ];

    private static readonly string[] s_high =
    [
        "III", "aVR", "aVL", "aVF", "-aVR", "V8", "V9", "V8R", "V9R", "D", "A", "J", "Defib", "Extern", "A1", "A2", "A3", "A4",
    ];

    /// <summary>The lead name of an SCP lead id; an unknown id is kept as <c>SCP{id}</c> (never rejected).</summary>
    public static string Name(int id) => id switch
    {
        >= 1 and < 31 => s_low[id],
        >= 61 and < 79 => s_high[id - 61],
        _ => $"SCP{id}",
    };

    /// <summary>True when the id has a standard name in this table.</summary>
    public static bool IsKnown(int id) => id is (>= 1 and < 31) or (>= 61 and < 79);
}
