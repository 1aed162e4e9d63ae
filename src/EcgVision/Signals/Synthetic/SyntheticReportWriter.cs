using System.Globalization;

namespace EcgVision.Signals.Synthetic;

/// <summary>What the report writer may state about a record: its conditions and the measured or designed facts behind them.</summary>
internal sealed class SyntheticFindings
{
    public required SyntheticCondition[] Conditions { get; init; }
    public required double HeartRate { get; init; }
    public double? PrIntervalMs { get; init; }
    public required double QrsDurationMs { get; init; }
    public required double FrontalAxisDegrees { get; init; }
    public int PrematureBeatCount { get; init; }
    public bool AnteriorInfarctionAcute { get; init; }
    public bool AnteriorInfarctionTInversion { get; init; }
    public bool InferiorInfarctionAcute { get; init; }
    public bool InferiorInfarctionTInversion { get; init; }
    public bool LvhStrain { get; init; }
    public double? Age { get; init; }
    public bool HasPreviousRecord { get; init; }
    public double BaselineWander { get; init; }
    public double MuscleNoise { get; init; }

    public bool Has(SyntheticCondition c) => Array.IndexOf(Conditions, c) >= 0;
}

/// <summary>Writes PTB-XL-style English reports (short lower-case clinical sentences) from findings, with varied wording that always matches the codes.</summary>
/// <remarks>
/// Grammar: [ectopy] rhythm [AV conduction] [axis | voltage] [bundle branch block] [hypertrophy] [infarction] [ST-T]
/// [normal statement] [remarks]. Each slot picks one of several phrasings; optional qualifiers and extra remarks are
/// added by chance; ectopy may come before or after the rhythm, and neighbouring findings may swap places. A hedged
/// phrasing ("possible", "suggesting") lowers that code's likelihood to 50, as PTB-XL's coders did; "otherwise normal"
/// gives NORM 80.
/// </remarks>
internal static class SyntheticReportWriter
{
    public static (string Report, Dictionary<string, double> Codes) Write(SyntheticFindings f, ref SyntheticRandom r)
    {
        var codes = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var c in f.Conditions)
        {
            codes[c.Code] = 100;
        }

        var inv = CultureInfo.InvariantCulture;
        string hr = Math.Round(f.HeartRate).ToString(inv);
        string qrs = (Math.Round(f.QrsDurationMs / 2) * 2).ToString(inv);
        string pr = f.PrIntervalMs is double p ? (Math.Round(p / 2) * 2).ToString(inv) : string.Empty;
        string axis = Math.Round(f.FrontalAxisDegrees).ToString(inv);
        string Fill(string s) => s.Replace("{hr}", hr, StringComparison.Ordinal).Replace("{qrs}", qrs, StringComparison.Ordinal)
            .Replace("{pr}", pr, StringComparison.Ordinal).Replace("{axis}", axis, StringComparison.Ordinal);

        // Rhythm.
        string rhythm;
        if (f.Has(SyntheticCondition.AtrialFibrillation))
        {
            string response = f.HeartRate < 60 ? "slow" : f.HeartRate <= 100 ? "controlled" : "rapid";
            rhythm = Pick(ref r, "atrial fibrillation.", "atrial fibrillation.", $"atrial fibrillation with {response} ventricular response.",
                "atrial fibrillation, ventricular rate {hr}/min.", "atrial fibrillation. p waves are not identified.",
                "irregularly irregular rhythm, atrial fibrillation.");
            if (r.Chance(0.15))
            {
                rhythm += " fibrillatory waves best seen in v1.";
            }
        }
        else if (f.Has(SyntheticCondition.SinusBradycardia))
        {
            rhythm = f.HeartRate < 50 && r.Chance(0.4) ? "marked sinus bradycardia."
                : Pick(ref r, "sinus bradycardia.", "sinus bradycardia.", "sinus bradycardia, rate {hr}/min.", "sinus bradycardia at {hr} bpm.");
        }
        else if (f.Has(SyntheticCondition.SinusTachycardia))
        {
            rhythm = Pick(ref r, "sinus tachycardia.", "sinus tachycardia.", "sinus tachycardia, rate {hr}/min.", "sinus tachycardia at {hr} bpm.");
        }
        else
        {
            rhythm = Pick(ref r, "sinus rhythm.", "sinus rhythm.", "sinus rhythm.", "normal sinus rhythm.", "sinus rhythm, rate {hr}/min.",
                "regular sinus rhythm.", "sinus rhythm at {hr} bpm.");
        }

        if (f.Has(SyntheticCondition.FirstDegreeAvBlock))
        {
            if (r.Chance(0.3))
            {
                rhythm = rhythm.TrimEnd('.') + " with first degree av block.";
            }
            else
            {
                rhythm += " " + Pick(ref r, "first degree av block.", "first degree av block.", "prolonged pr interval, first degree av block.",
                    "first degree atrioventricular block.", "av block i.", "pr interval prolonged ({pr} ms), first degree av block.");
            }
        }

        var findings = new List<string>();

        // Axis and voltage, in either order.
        var axisVoltage = new List<string>();
        if (f.Has(SyntheticCondition.LeftAxisDeviation))
        {
            axisVoltage.Add(Pick(ref r, "left axis deviation.", "left axis deviation.", "left axis deviation, qrs axis {axis}.", "abnormal left axis deviation.",
                "axis shifted to the left, left axis deviation.", "left axis deviation ({axis} degrees)."));
        }

        if (f.Has(SyntheticCondition.LowQrsVoltage))
        {
            axisVoltage.Add(Pick(ref r, "low qrs voltages in the frontal leads.", "low limb lead voltage.", "low qrs voltages in the frontal and horizontal leads.",
                "peripheral low voltage.", "low voltage qrs complexes."));
        }

        ShuffleTwo(axisVoltage, ref r);
        findings.AddRange(axisVoltage);

        if (f.Has(SyntheticCondition.LeftBundleBranchBlock))
        {
            string s = Pick(ref r, "complete left bundle branch block.", "complete left bundle branch block.", "left bundle branch block.",
                "left bundle branch block, qrs duration {qrs} ms.", "complete left bundle branch block with secondary st-t changes.");
            if (r.Chance(0.3))
            {
                s += " " + Pick(ref r, "st-t changes are secondary to the conduction defect.", "repolarisation changes are secondary to the conduction defect.");
            }

            findings.Add(s);
        }

        if (f.Has(SyntheticCondition.RightBundleBranchBlock))
        {
            string s = Pick(ref r, "complete right bundle branch block.", "complete right bundle branch block.", "right bundle branch block.",
                "rsr' pattern in v1, complete right bundle branch block.", "right bundle branch block, qrs duration {qrs} ms.");
            if (r.Chance(0.25))
            {
                s += " " + Pick(ref r, "secondary t wave inversion in v1,2.", "t waves inverted in v1,2, secondary to the conduction defect.");
            }

            findings.Add(s);
        }

        if (f.Has(SyntheticCondition.LeftVentricularHypertrophy))
        {
            string s;
            if (r.Chance(0.25))
            {
                s = Pick(ref r, "voltages are high in chest leads suggesting lvh.", "probable left ventricular hypertrophy.", "possible left ventricular hypertrophy.");
                codes["LVH"] = 50;
            }
            else if (f.LvhStrain && r.Chance(0.4))
            {
                s = Pick(ref r, "left ventricular hypertrophy with strain pattern.", "lvh with secondary repolarisation abnormality.");
            }
            else
            {
                s = Pick(ref r, "left ventricular hypertrophy.", "left ventricular hypertrophy.", "left ventricular hypertrophy by voltage criteria.",
                    "voltages are high in chest leads meeting criteria for left ventricular hypertrophy.", "lvh by voltage criteria.");
                if (f.LvhStrain)
                {
                    s += " " + Pick(ref r, "st segments are depressed and t waves inverted in i, avl, v5,6. this may be due to lv strain or ischaemia.",
                        "repolarisation abnormality consistent with lv strain.", "t waves are inverted in v5,6, consistent with lv strain.");
                }
            }

            findings.Add(s);
        }

        var infarctions = new List<string>();
        if (f.Has(SyntheticCondition.AnteroseptalInfarction))
        {
            infarctions.Add(Infarction(ref r, codes, "ASMI", "anteroseptal", "v1-3", "v1-4", f.AnteriorInfarctionAcute, f.AnteriorInfarctionTInversion, null));
        }

        if (f.Has(SyntheticCondition.InferiorInfarction))
        {
            infarctions.Add(Infarction(ref r, codes, "IMI", "inferior", "ii, iii, avf", "ii, iii, avf", f.InferiorInfarctionAcute, f.InferiorInfarctionTInversion, "reciprocal st depression in i, avl."));
        }

        ShuffleTwo(infarctions, ref r);
        findings.AddRange(infarctions);

        if (f.Has(SyntheticCondition.NonSpecificStChanges))
        {
            string leads = Pick(ref r, "ii, avf, v4-6", "ii, avf, v5,6", "v4-6", "ii, iii, avf, v4-6");
            findings.Add(Pick(ref r, "non-specific st depression.", $"st segments are depressed in {leads}. non-specific.", "minor non-specific st-t changes.",
                "non-specific st-t abnormality.", $"t waves are flat in {leads}, non-specific st changes.", $"slight st depression in {leads}, non-specific."));
        }

        // Swap two neighbouring findings now and then: reports do not follow one fixed order.
        if (findings.Count >= 2 && r.Chance(0.2))
        {
            int i = r.NextInt(findings.Count - 1);
            (findings[i], findings[i + 1]) = (findings[i + 1], findings[i]);
        }

        var parts = new List<string>();
        if (f.Has(SyntheticCondition.PrematureVentricularComplex))
        {
            string pvc = f.PrematureBeatCount <= 1
                ? Pick(ref r, "premature ventricular contraction(s).", "ventricular extrasystole.", "a single ventricular premature beat.", "ventricular premature complex.")
                : Pick(ref r, "premature ventricular contraction(s).", "ventricular extrasystoles.", "ventricular premature complexes.",
                    $"{f.PrematureBeatCount} ventricular premature complexes.");
            if (r.Chance(0.5))
            {
                parts.Add(pvc);
                parts.Add(rhythm);
            }
            else
            {
                parts.Add(rhythm);
                parts.Add(pvc);
            }
        }
        else
        {
            parts.Add(rhythm);
        }

        parts.AddRange(findings);

        if (f.Has(SyntheticCondition.Normal))
        {
            bool otherwise = f.Conditions.Any(c => c != SyntheticCondition.Normal && c != SyntheticCondition.SinusRhythm);
            if (otherwise)
            {
                parts.Add(Pick(ref r, "otherwise normal ecg.", "otherwise normal ecg.", "no further pathology, otherwise normal ecg."));
                codes["NORM"] = 80;
                if (f.Has(SyntheticCondition.SinusBradycardia) && f.Age is < 40 && r.Chance(0.5))
                {
                    parts.Add("the bradycardia may be physiological.");
                }
            }
            else
            {
                parts.Add(Pick(ref r, "normal ecg.", "normal ecg.", "normal ecg.", "no definite pathology, normal ecg.", "within normal limits, normal ecg.",
                    f.Age is double age && age >= 18 ? "normal ecg for age." : "normal ecg."));
            }
        }

        // Remarks that match the recording.
        if (f.BaselineWander > 0.15 && r.Chance(0.5))
        {
            parts.Add(Pick(ref r, "baseline wander.", "baseline drift in some leads."));
        }

        if (f.MuscleNoise > 0.03 && r.Chance(0.5))
        {
            parts.Add(Pick(ref r, "muscle tremor artefact.", "noisy recording, interpretation limited."));
        }

        if (f.HasPreviousRecord && r.Chance(0.3))
        {
            parts.Add(Pick(ref r, "no significant change compared with the previous tracing.", "unchanged from the previous ecg."));
        }

        if (r.Chance(0.05))
        {
            parts.Add("unconfirmed report.");
        }

        return (Fill(string.Join(' ', parts)), codes);
    }

    private static string Infarction(ref SyntheticRandom r, Dictionary<string, double> codes, string code, string wall, string qLeads, string stLeads,
        bool acute, bool tInversion, string? reciprocal)
    {
        string s;
        if (acute)
        {
            s = Pick(ref r, $"{wall} myocardial infarction, possibly acute. st elevation in {stLeads}.",
                $"st elevation in {stLeads} with q waves, {wall} myocardial infarction, probably recent.",
                $"{wall} myocardial infarction with st elevation, probably recent.",
                $"q waves and st elevation in {stLeads} consistent with acute {wall} myocardial infarction.");
            if (reciprocal is not null && r.Chance(0.5))
            {
                s += " " + reciprocal;
            }

            return s;
        }

        if (r.Chance(0.2))
        {
            codes[code] = 50;
            s = Pick(ref r, $"possible {wall} myocardial infarction, age undetermined.", $"q waves in {qLeads}, possibly old {wall} infarction.");
        }
        else
        {
            s = Pick(ref r, $"{wall} myocardial infarction, age undetermined.", $"{wall} myocardial infarction, age undetermined.",
                $"old {wall} myocardial infarction.", $"q waves in {qLeads} consistent with old {wall} myocardial infarction.",
                $"{wall} infarct, probably old.", $"{wall} myocardial infarction, probably old.");
        }

        if (tInversion && r.Chance(0.5))
        {
            s += $" t waves are inverted in {stLeads}.";
        }

        return s;
    }

    private static void ShuffleTwo(List<string> items, ref SyntheticRandom r)
    {
        if (items.Count == 2 && r.Chance(0.5))
        {
            (items[0], items[1]) = (items[1], items[0]);
        }
    }

    private static string Pick(ref SyntheticRandom r, params string[] options) => options[r.NextInt(options.Length)];
}
