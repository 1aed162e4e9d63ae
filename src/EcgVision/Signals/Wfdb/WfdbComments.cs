using System.Globalization;

namespace EcgVision.Signals.Wfdb;

/// <summary>Reads the <c>Key: value</c> conventions of PTB-XL / PhysioNet Challenge header comments into metadata.</summary>
/// <remarks>
/// <c>Age:</c> becomes <see cref="EcgMetadata.Age"/> (unless <c>Unknown</c>/<c>NaN</c>), <c>Sex:</c> becomes <see cref="EcgMetadata.Sex"/>
/// (<c>Male</c>/<c>M</c>, <c>Female</c>/<c>F</c>); every <c>Key: value</c> comment, including <c>Dx:</c> and <c>Labels:</c>, is also stored in
/// <see cref="EcgMetadata.Properties"/> under the lower-cased key (<c>dx</c>, <c>labels</c>, <c>height</c>, ...).
/// </remarks>
internal static class WfdbComments
{
    public static EcgMetadata Apply(EcgMetadata metadata, IReadOnlyList<string> comments, Dictionary<string, string> properties)
    {
        double? age = metadata.Age;
        Sex sex = metadata.Sex;
        foreach (string comment in comments)
        {
            int colon = comment.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon > 32)
            {
                continue;
            }

            string key = comment[..colon].Trim();
            if (key.Length == 0 || !key.All(c => char.IsLetterOrDigit(c) || c is ' ' or '_' or '-'))
            {
                continue;
            }

            string value = comment[(colon + 1)..].Trim();
            properties.TryAdd(key.ToLowerInvariant(), value);
            if (key.Equals("Age", StringComparison.OrdinalIgnoreCase)
                && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double a) && double.IsFinite(a) && a >= 0)
            {
                age = a;
            }
            else if (key.Equals("Sex", StringComparison.OrdinalIgnoreCase))
            {
                sex = ParseSex(value);
            }
        }

        return metadata with
        {
            Age = age,
            Sex = sex,
            Properties = properties.AsReadOnly(),
        };
    }

    public static Sex ParseSex(string value) => value.Trim().ToUpperInvariant() switch
    {
        "MALE" or "M" => Sex.Male,
        "FEMALE" or "F" => Sex.Female,
        _ => Sex.Unknown,
    };
}
