namespace EcgVision.Signals.Synthetic;

/// <summary>Which part of the cardiac cycle a dipole event belongs to.</summary>
internal enum DipoleEventKind
{
    Atrial,
    Qrs,
    Repolarization,
}

/// <summary>One Gaussian kernel of the cardiac dipole: d(t) += (X, Y, Z)·exp(−(t − centre)²/(2σ²)).</summary>
/// <remarks>
/// Coordinates are Frank's: X towards the patient's left, Y towards the feet, Z towards the back (mV).
/// Depolarisation events (<see cref="DipoleEventKind.Atrial"/>, <see cref="DipoleEventKind.Qrs"/>) have
/// <see cref="Time"/> and <see cref="Sigma"/> in seconds relative to the R fiducial; repolarisation events have them as
/// fractions of the beat's QT interval, so the ST segment and T wave follow QT when the rate changes.
/// </remarks>
internal struct DipoleEvent(DipoleEventKind kind, double time, double sigma, double x, double y, double z)
{
    public DipoleEventKind Kind = kind;
    public double Time = time;
    public double Sigma = sigma;
    public double X = x;
    public double Y = y;
    public double Z = z;

    public readonly double CentreFor(double qt) => Kind == DipoleEventKind.Repolarization ? Time * qt : Time;

    public readonly double SigmaFor(double qt) => Kind == DipoleEventKind.Repolarization ? Sigma * qt : Sigma;
}

/// <summary>The beat templates of one synthetic heart: the conducted beat, the P wave, the premature ventricular beat, and the design measurements.</summary>
internal sealed class HeartMorphology
{
    public required DipoleEvent[] Ventricular { get; init; }
    public required DipoleEvent[] Atrial { get; init; }
    public required DipoleEvent[] Premature { get; init; }

    /// <summary>Corrected QT (Bazett) in seconds.</summary>
    public required double Qtc { get; init; }

    /// <summary>PR interval at 70 bpm in seconds (P onset to QRS onset).</summary>
    public required double PrInterval { get; init; }

    /// <summary>QRS onset relative to the R fiducial (negative, seconds).</summary>
    public required double QrsOnset { get; init; }

    /// <summary>Time of the conducted beat's R peak (the largest QRS deflection in lead II) relative to the template's R fiducial (seconds).</summary>
    public required double VentricularPeakOffset { get; init; }

    /// <summary>Time of the premature ventricular complex's R peak (its largest QRS deflection in lead II) relative to its fiducial (seconds).</summary>
    public required double PrematurePeakOffset { get; init; }

    public required double QrsDurationMs { get; init; }
    public required double FrontalAxisDegrees { get; init; }

    /// <summary>Direction and amplitude of the atrial fibrillation f-wave dipole (mV).</summary>
    public required (double X, double Y, double Z) FibrillationVector { get; init; }

    public required double FibrillationFrequency { get; init; }
    public required double RespiratoryFrequency { get; init; }

    /// <summary>Whether the anteroseptal infarction has ST elevation (recent) rather than only Q waves (old).</summary>
    public bool AnteriorInfarctionAcute { get; init; }

    /// <summary>Whether an old anteroseptal infarction has inverted T waves in V1–V4.</summary>
    public bool AnteriorInfarctionTInversion { get; init; }

    /// <summary>Whether the inferior infarction has ST elevation (recent).</summary>
    public bool InferiorInfarctionAcute { get; init; }

    /// <summary>Whether an old inferior infarction has inverted T waves in II, III, aVF.</summary>
    public bool InferiorInfarctionTInversion { get; init; }

    public bool LvhStrain { get; init; }
    public double SokolowLyonMv { get; init; }
    public double MaxLimbQrsMv { get; init; }
    public bool PrematureFromRightVentricle { get; init; }

    /// <summary>PR interval for a given heart rate: shortens by 0.3 ms per bpm above 70.</summary>
    public double PrIntervalAt(double heartRate) =>
        Math.Max(PrInterval >= 0.22 ? 0.215 : 0.11, PrInterval - (0.0003 * (heartRate - 70)));

    /// <summary>QT interval in seconds after an RR interval (Bazett).</summary>
    public double QtFor(double rr) => Qtc * Math.Sqrt(Math.Clamp(rr, 0.25, 2.0));
}

/// <summary>Builds a heart's dipole templates from its anatomy and conditions (Sameni et al. 2007 multichannel ECGSYN).</summary>
internal static class SyntheticHeartModel
{
    // Dower et al. (1980) lead vectors: rows I, II, V1–V6; columns Frank X, Y, Z.
    internal static readonly double[,] Dower =
    {
        { 0.632, -0.235, 0.059 },
        { 0.235, 1.066, -0.132 },
        { -0.515, 0.157, -0.917 },
        { 0.044, 0.164, -1.387 },
        { 0.882, 0.098, -1.277 },
        { 1.213, 0.127, -0.601 },
        { 1.125, 0.127, -0.086 },
        { 0.831, 0.076, 0.230 },
    };

    private const double TemplateStep = 0.002;
    private const double TemplateHalfWidth = 0.2;

    public static HeartMorphology Build(IReadOnlyList<SyntheticCondition> conditions, ulong anatomySeed, Sex sex, double meanRr)
    {
        bool Has(SyntheticCondition c) => conditions.Contains(c);
        SyntheticRandom ConditionRandom(SyntheticCondition c) => new(anatomySeed, 100 + (ulong)IndexOf(c));

        // Base anatomy: a fixed number of draws, so a patient's heart is the same whatever the conditions.
        var rng = new SyntheticRandom(anatomySeed, 1);
        double amplitude = Math.Exp(rng.Gaussian(0, 0.15, -0.35, 0.35)) * (sex == Sex.Female ? 0.9 : 1.0);
        double frontal = rng.Gaussian(0, 16, -35, 35) * Math.PI / 180;
        double horizontal = rng.Gaussian(0, 10, -25, 25) * Math.PI / 180;
        double width = rng.Gaussian(1, 0.06, 0.88, 1.12);
        double tAmplitude = Math.Exp(rng.Gaussian(0, 0.15, -0.35, 0.35));
        double qtc = rng.Gaussian(0.405, 0.015, 0.37, 0.44);
        double pr = rng.Gaussian(0.155, 0.014, 0.125, 0.19);
        double pAmplitude = rng.Gaussian(1, 0.15, 0.7, 1.3);
        double septal = rng.Gaussian(1, 0.2, 0.6, 1.4);
        double respiration = rng.Uniform(0.2, 0.3);
        double fibrillation = rng.Uniform(4.5, 7.5);
        double fibrillationAmplitude = rng.Uniform(0.05, 0.11);
        double targetNormalSokolow = rng.Uniform(1.6, 3.2);

        var v = new List<DipoleEvent>();
        double qrsSigma = 0.0105 * width;
        if (Has(SyntheticCondition.LeftBundleBranchBlock))
        {
            // Septum activated right→left and the LV late through the myocardium: no septal q, broad notched R
            // pointing left and back (deep QS in V1, notched R in I, aVL, V5–V6), ST-T opposite to the QRS.
            var r = ConditionRandom(SyntheticCondition.LeftBundleBranchBlock);
            double s1 = r.Uniform(0.019, 0.022), s2 = r.Uniform(0.020, 0.023);
            v.Add(new(DipoleEventKind.Qrs, -0.023, s1, 0.58, 0.02, 0.75));
            v.Add(new(DipoleEventKind.Qrs, 0.025, s2, 0.88, 0.10, 1.30));
            v.Add(new(DipoleEventKind.Repolarization, 0.36, 0.16, -0.10, -0.02, -0.16));
            v.Add(new(DipoleEventKind.Repolarization, 0.66, 0.11, -0.24, -0.05, -0.30));
            v.Add(new(DipoleEventKind.Repolarization, 0.78, 0.06, -0.08, -0.02, -0.10));
            qtc += 0.03;
        }
        else
        {
            v.Add(new(DipoleEventKind.Qrs, -0.020 * width, 0.009 * width, -0.10 * septal, 0.03, -0.26 * septal));
            v.Add(new(DipoleEventKind.Qrs, 0, qrsSigma, 1.05, 0.75, 0.30));
            if (Has(SyntheticCondition.RightBundleBranchBlock))
            {
                // Late, slow activation of the RV: terminal forces to the right and front (R' in V1–V2,
                // broad S in I, aVL, V5–V6), T opposite to them (inverted in V1–V2).
                var r = ConditionRandom(SyntheticCondition.RightBundleBranchBlock);
                double late = r.Uniform(0.052, 0.062);
                v.Add(new(DipoleEventKind.Qrs, 0.022, 0.009, -0.05, -0.10, 0.22));
                v.Add(new(DipoleEventKind.Qrs, late, r.Uniform(0.016, 0.019), -0.42, -0.05, -0.62 * r.Uniform(0.75, 1.1)));
                v.Add(new(DipoleEventKind.Repolarization, 0.38, 0.16, 0.02, 0.01, 0.04));
                v.Add(new(DipoleEventKind.Repolarization, 0.66, 0.11, 0.24, 0.16, 0.14));
                v.Add(new(DipoleEventKind.Repolarization, 0.78, 0.06, 0.09, 0.05, 0.05));
                qtc += 0.02;
            }
            else
            {
                v.Add(new(DipoleEventKind.Qrs, 0.024 * width, 0.0095 * width, -0.22, -0.18, 0.42));
                v.Add(new(DipoleEventKind.Repolarization, 0.38, 0.16, 0.02, 0.01, -0.05));
                v.Add(new(DipoleEventKind.Repolarization, 0.66, 0.11, 0.24, 0.17, -0.10));
                v.Add(new(DipoleEventKind.Repolarization, 0.78, 0.06, 0.10, 0.06, -0.04));
            }
        }

        ScaleKind(v, DipoleEventKind.Repolarization, tAmplitude);
        Rotate(v, frontal, horizontal, includeRepolarization: true);

        bool anteriorAcute = false, anteriorTInversion = false, inferiorAcute = false, inferiorTInversion = false;
        (double X, double Y, double Z)? initial = null;
        if (Has(SyntheticCondition.AnteroseptalInfarction))
        {
            // Necrosis of the septum and anterior wall: the initial forces point away from it (backwards), giving
            // QS or Q waves in V1–V3(V4) and a poor R progression; recent infarcts add ST elevation in V1–V4,
            // old ones often T inversion there.
            var r = ConditionRandom(SyntheticCondition.AnteroseptalInfarction);
            initial = (0.04, 0.0, r.Uniform(0.38, 0.5));
            AddToKind(v, DipoleEventKind.Qrs, eventIndexFromStart: 1, 0, 0, r.Uniform(0.2, 0.3));
            anteriorAcute = r.Chance(0.45);
            anteriorTInversion = !anteriorAcute && r.Chance(0.6);
            if (anteriorAcute)
            {
                v.Add(new(DipoleEventKind.Repolarization, 0.36, 0.18, 0.02, 0.0, -r.Uniform(0.2, 0.3)));
                v.Add(new(DipoleEventKind.Repolarization, 0.62, 0.12, 0.0, 0.0, -0.08));
            }
            else if (anteriorTInversion)
            {
                // T vector turned backwards (and less to the left): inverted T in V1–V4.
                double back = r.Uniform(0.28, 0.38);
                TransformT(v, e => { e.X *= 0.5; e.Z = Math.Abs(e.Z) + (back * e.Sigma / 0.11); return e; });
            }
        }

        if (Has(SyntheticCondition.InferiorInfarction))
        {
            // Necrosis of the inferior wall: initial forces point up (Q waves of 40 ms or more in II, III, aVF);
            // recent infarcts add ST elevation there with reciprocal ST depression in I and aVL, old ones T inversion.
            var r = ConditionRandom(SyntheticCondition.InferiorInfarction);
            double up = r.Uniform(0.45, 0.6);
            initial = initial is { } a ? (a.X, a.Y - up, a.Z) : (0.02, -up, -0.12);
            inferiorAcute = r.Chance(0.45);
            inferiorTInversion = !inferiorAcute && r.Chance(0.6);
            if (inferiorAcute)
            {
                v.Add(new(DipoleEventKind.Repolarization, 0.36, 0.18, -0.07, r.Uniform(0.2, 0.28), 0.0));
                v.Add(new(DipoleEventKind.Repolarization, 0.62, 0.12, 0.0, 0.08, 0.0));
            }
            else if (inferiorTInversion)
            {
                // T vector turned upwards: inverted T in II, III, aVF.
                double up2 = r.Uniform(0.12, 0.2);
                TransformT(v, e => { e.X *= 0.6; e.Y = -Math.Abs(e.Y) - (up2 * e.Sigma / 0.11); return e; });
            }
        }

        if (initial is { } q)
        {
            int first = v.FindIndex(e => e.Kind == DipoleEventKind.Qrs);
            v[first] = new DipoleEvent(DipoleEventKind.Qrs, -0.022, 0.015, q.X, q.Y, q.Z);
        }

        // Frontal axis: rotate the QRS only (as in a fascicular block) to below −30° for LAD, else keep it in −15…95°.
        double axis = FrontalAxis(v, meanRr);
        if (Has(SyntheticCondition.LeftAxisDeviation))
        {
            var r = ConditionRandom(SyntheticCondition.LeftAxisDeviation);
            RotateQrsToAxis(v, r.Uniform(-75, -45), meanRr);
        }
        else if (axis < -15 || axis > 95)
        {
            RotateQrsToAxis(v, Math.Clamp(axis, -15, 95) + (axis < -15 ? 10 : -10), meanRr);
        }

        ScaleKind(v, DipoleEventKind.Qrs, amplitude);
        var measured = Measure(v, meanRr);
        bool strain = false;
        if (Has(SyntheticCondition.LeftVentricularHypertrophy))
        {
            var r = ConditionRandom(SyntheticCondition.LeftVentricularHypertrophy);
            double target = r.Uniform(3.9, 5.2);
            ScaleKind(v, DipoleEventKind.Qrs, target / measured.Sokolow);
            WidenQrs(v, 1.05);
            strain = r.Chance(0.55);
            if (strain)
            {
                // Strain: ST depression with asymmetric T inversion in I, aVL, V5–V6 (ST-T opposite to the big QRS).
                ScaleKind(v, DipoleEventKind.Repolarization, 0.2);
                v.Add(new(DipoleEventKind.Repolarization, 0.38, 0.17, -0.13, -0.03, -0.06));
                v.Add(new(DipoleEventKind.Repolarization, 0.62, 0.13, -0.26, -0.06, -0.08));
            }
        }
        else if (Has(SyntheticCondition.LowQrsVoltage))
        {
            var r = ConditionRandom(SyntheticCondition.LowQrsVoltage);
            ScaleKind(v, DipoleEventKind.Qrs, r.Uniform(0.25, 0.42) / measured.MaxLimb);
            ScaleKind(v, DipoleEventKind.Repolarization, 0.55);
            pAmplitude *= 0.7;
        }
        else
        {
            // Keep the other records clear of the LVH and low-voltage criteria, so their labels stay right.
            double k = 1;
            if (measured.Sokolow > targetNormalSokolow + 0.3 || measured.Sokolow < 1.2)
            {
                k = targetNormalSokolow / measured.Sokolow;
            }

            k = Math.Max(k, 0.65 / measured.MaxLimb);
            k = Math.Min(k, 3.3 / measured.Sokolow);
            ScaleKind(v, DipoleEventKind.Qrs, k);
        }

        if (Has(SyntheticCondition.NonSpecificStChanges))
        {
            // Mild horizontal ST depression in the lateral and inferior leads with flattened T waves.
            var r = ConditionRandom(SyntheticCondition.NonSpecificStChanges);
            ScaleKind(v, DipoleEventKind.Repolarization, r.Uniform(0.15, 0.35));
            double depth = r.Uniform(0.07, 0.12);
            v.Add(new(DipoleEventKind.Repolarization, 0.34, 0.17, -0.8 * depth, -0.6 * depth, 0.25 * depth));
        }

        // Scaling the QRS and changing ST-T leave the axis alone: it is measured on the depolarisation dipole only.
        measured = Measure(v, meanRr);

        // P wave: right atrium (down, forward) then left atrium (left, back): upright in II, biphasic in V1.
        var atrial = new[]
        {
            new DipoleEvent(DipoleEventKind.Atrial, -0.0135, 0.018, 0.03 * pAmplitude, 0.085 * pAmplitude, -0.04 * pAmplitude),
            new DipoleEvent(DipoleEventKind.Atrial, 0.0135, 0.018, 0.08 * pAmplitude, 0.045 * pAmplitude, 0.05 * pAmplitude),
        };

        if (Has(SyntheticCondition.FirstDegreeAvBlock))
        {
            var r = ConditionRandom(SyntheticCondition.FirstDegreeAvBlock);
            pr = r.Uniform(0.235, 0.33);
        }

        // Premature ventricular complex: wide and bizarre, from the RV outflow tract (LBBB-like, inferior axis) or
        // the LV (RBBB-like, superior axis), with ST-T opposite to the QRS.
        var pv = new SyntheticRandom(anatomySeed, 100 + (ulong)IndexOf(SyntheticCondition.PrematureVentricularComplex));
        bool fromRv = pv.Chance(0.6);
        double pvScale = pv.Uniform(1.0, 1.5) * (Has(SyntheticCondition.LowQrsVoltage) ? 0.45 : 1.0);
        (double x, double y, double z) dir = fromRv ? Normalize(0.35, 0.85, 0.75) : Normalize(-0.45, -0.65, -0.9);
        var premature = new[]
        {
            new DipoleEvent(DipoleEventKind.Qrs, -0.036, pv.Uniform(0.019, 0.023), 0.9 * pvScale * dir.x, 0.9 * pvScale * dir.y, 0.9 * pvScale * dir.z),
            new DipoleEvent(DipoleEventKind.Qrs, 0.028, pv.Uniform(0.021, 0.025), 1.3 * pvScale * (dir.x + 0.15), 1.3 * pvScale * dir.y, 1.3 * pvScale * dir.z),
            new DipoleEvent(DipoleEventKind.Repolarization, 0.40, 0.17, -0.15 * dir.x, -0.15 * dir.y, -0.15 * dir.z),
            new DipoleEvent(DipoleEventKind.Repolarization, 0.68, 0.12, -0.45 * dir.x, -0.45 * dir.y, -0.45 * dir.z),
        };

        var fib = Normalize(0.25, 0.45, -0.85);
        return new HeartMorphology
        {
            Ventricular = v.ToArray(),
            Atrial = atrial,
            Premature = premature,
            Qtc = qtc,
            PrInterval = pr,
            QrsOnset = measured.Onset,
            VentricularPeakOffset = LeadIIPeakOffset(v),
            PrematurePeakOffset = LeadIIPeakOffset(premature),
            QrsDurationMs = (measured.Offset - measured.Onset) * 1000,
            FrontalAxisDegrees = measured.Axis,
            FibrillationVector = (fib.x * fibrillationAmplitude, fib.y * fibrillationAmplitude, fib.z * fibrillationAmplitude),
            FibrillationFrequency = fibrillation,
            RespiratoryFrequency = respiration,
            AnteriorInfarctionAcute = anteriorAcute,
            AnteriorInfarctionTInversion = anteriorTInversion,
            InferiorInfarctionAcute = inferiorAcute,
            InferiorInfarctionTInversion = inferiorTInversion,
            LvhStrain = strain,
            SokolowLyonMv = measured.Sokolow,
            MaxLimbQrsMv = measured.MaxLimb,
            PrematureFromRightVentricle = fromRv,
        };
    }

    private static int IndexOf(SyntheticCondition c)
    {
        for (int i = 0; i < SyntheticCondition.All.Count; i++)
        {
            if (SyntheticCondition.All[i] == c)
            {
                return i;
            }
        }

        return -1;
    }

    private static (double x, double y, double z) Normalize(double x, double y, double z)
    {
        double n = Math.Sqrt((x * x) + (y * y) + (z * z));
        return (x / n, y / n, z / n);
    }

    private static void ScaleKind(List<DipoleEvent> events, DipoleEventKind kind, double k)
    {
        for (int i = 0; i < events.Count; i++)
        {
            if (events[i].Kind == kind)
            {
                var e = events[i];
                e.X *= k;
                e.Y *= k;
                e.Z *= k;
                events[i] = e;
            }
        }
    }

    /// <summary>Applies a change to the T-wave kernels (repolarisation kernels after the ST segment).</summary>
    private static void TransformT(List<DipoleEvent> events, Func<DipoleEvent, DipoleEvent> change)
    {
        for (int i = 0; i < events.Count; i++)
        {
            if (events[i].Kind == DipoleEventKind.Repolarization && events[i].Time >= 0.6)
            {
                events[i] = change(events[i]);
            }
        }
    }

    private static void WidenQrs(List<DipoleEvent> events, double k)
    {
        for (int i = 0; i < events.Count; i++)
        {
            if (events[i].Kind == DipoleEventKind.Qrs)
            {
                var e = events[i];
                e.Sigma *= k;
                e.Time *= k;
                events[i] = e;
            }
        }
    }

    private static void AddToKind(List<DipoleEvent> events, DipoleEventKind kind, int eventIndexFromStart, double x, double y, double z)
    {
        int seen = 0;
        for (int i = 0; i < events.Count; i++)
        {
            if (events[i].Kind == kind && seen++ == eventIndexFromStart)
            {
                var e = events[i];
                e.X += x;
                e.Y += y;
                e.Z += z;
                events[i] = e;
                return;
            }
        }
    }

    private static void Rotate(List<DipoleEvent> events, double frontal, double horizontal, bool includeRepolarization)
    {
        double cf = Math.Cos(frontal), sf = Math.Sin(frontal), ch = Math.Cos(horizontal), sh = Math.Sin(horizontal);
        for (int i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e.Kind == DipoleEventKind.Repolarization && !includeRepolarization)
            {
                continue;
            }

            double x = (e.X * cf) - (e.Y * sf);
            double y = (e.X * sf) + (e.Y * cf);
            double z = e.Z;
            e.X = (x * ch) - (z * sh);
            e.Z = (x * sh) + (z * ch);
            e.Y = y;
            events[i] = e;
        }
    }

    private static void RotateQrsToAxis(List<DipoleEvent> events, double targetDegrees, double meanRr)
    {
        // Rotation in Frank's x-y plane does not map one-to-one onto the hexaxial axis (Dower's lead I and aVF are not
        // orthogonal), so iterate; when the net QRS area is small the axis can respond erratically, so fall back to a
        // coarse search over rotations.
        // Secant iteration on the total rotation r: axis(r) = target.
        double r0 = 0, e0 = Math.IEEERemainder(FrontalAxis(events, meanRr) - targetDegrees, 360);
        if (Math.Abs(e0) < 1)
        {
            return;
        }

        double r1 = -e0;
        Rotate(events, r1 * Math.PI / 180, 0, includeRepolarization: false);
        for (int iteration = 0; iteration < 8; iteration++)
        {
            double e1 = Math.IEEERemainder(FrontalAxis(events, meanRr) - targetDegrees, 360);
            if (Math.Abs(e1) < 1)
            {
                return;
            }

            double slope = (e1 - e0) / (r1 - r0);
            double step = Math.Abs(slope) > 0.2 ? -e1 / slope : -e1;
            step = Math.Clamp(step, -60, 60);
            (r0, e0) = (r1, e1);
            r1 += step;
            Rotate(events, step * Math.PI / 180, 0, includeRepolarization: false);
        }

        if (Math.Abs(Math.IEEERemainder(targetDegrees - FrontalAxis(events, meanRr), 360)) < 5)
        {
            return;
        }

        double best = 0, bestError = double.MaxValue;
        var trial = new List<DipoleEvent>(events.Count);
        for (int step = -36; step <= 36; step++)
        {
            trial.Clear();
            trial.AddRange(events);
            Rotate(trial, step * 5 * Math.PI / 180, 0, includeRepolarization: false);
            double error = Math.Abs(Math.IEEERemainder(targetDegrees - FrontalAxis(trial, meanRr), 360));
            if (error < bestError)
            {
                (best, bestError) = (step * 5, error);
            }
        }

        Rotate(events, best * Math.PI / 180, 0, includeRepolarization: false);
    }

    private static double FrontalAxis(List<DipoleEvent> events, double rr) => Measure(events, rr).Axis;

    /// <summary>Time (s, relative to the template's fiducial) of the largest absolute value of the QRS kernels' lead-II projection, on a 0.5 ms grid.</summary>
    /// <remarks>
    /// This is the ground-truth R peak: the peak of the QRS's dominant deflection in lead II, the lead the R-peak
    /// detector locates beats on. For a narrow QRS it is the R Gaussian's centre (the fiducial, give or take a
    /// millisecond); for wide complexes it can lie 20–60 ms away (R′ in right bundle branch block, the later notch in
    /// left bundle branch block, the main deflection of a premature ventricular complex). Repolarisation kernels are left
    /// out so the peak does not move with the beat's QT.
    /// </remarks>
    internal static double LeadIIPeakOffset(IReadOnlyList<DipoleEvent> events)
    {
        const double Step = 0.0005, HalfWidth = 0.15;
        double best = 0, bestValue = -1;
        for (int i = 0; i <= (int)Math.Round(2 * HalfWidth / Step); i++)
        {
            double t = -HalfWidth + (i * Step), value = 0;
            foreach (var e in events)
            {
                if (e.Kind != DipoleEventKind.Qrs)
                {
                    continue;
                }

                double d = (t - e.Time) / e.Sigma;
                value += ((Dower[1, 0] * e.X) + (Dower[1, 1] * e.Y) + (Dower[1, 2] * e.Z)) * Math.Exp(-0.5 * d * d);
            }

            if (Math.Abs(value) > bestValue)
            {
                (best, bestValue) = (t, Math.Abs(value));
            }
        }

        return best;
    }

    /// <summary>Design measurements on the noise-free template of one conducted beat, on a 1 ms grid.</summary>
    internal static (double Onset, double Offset, double Axis, double Sokolow, double MaxLimb) Measure(List<DipoleEvent> list, double rr)
    {
        ReadOnlySpan<DipoleEvent> events = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list);
        int n = (int)Math.Round(2 * TemplateHalfWidth / TemplateStep) + 1;
        double qt = 0.4 * Math.Sqrt(rr);
        Span<double> qrsMagnitude = stackalloc double[n];
        Span<double> qrsLeadI = stackalloc double[n];
        Span<double> qrsLeadII = stackalloc double[n];
        Span<double> leads = stackalloc double[8 * n];
        double max = 0;
        for (int i = 0; i < n; i++)
        {
            double t = -TemplateHalfWidth + (i * TemplateStep);
            double qx = 0, qy = 0, qz = 0, ax = 0, ay = 0, az = 0;
            foreach (var e in events)
            {
                double s = e.SigmaFor(qt), d = (t - e.CentreFor(qt)) / s;
                if (d * d > 50)
                {
                    continue;
                }

                double g = Math.Exp(-0.5 * d * d);
                ax += e.X * g;
                ay += e.Y * g;
                az += e.Z * g;
                if (e.Kind == DipoleEventKind.Qrs)
                {
                    qx += e.X * g;
                    qy += e.Y * g;
                    qz += e.Z * g;
                }
            }

            qrsMagnitude[i] = Math.Sqrt((qx * qx) + (qy * qy) + (qz * qz));
            qrsLeadI[i] = (Dower[0, 0] * qx) + (Dower[0, 1] * qy) + (Dower[0, 2] * qz);
            qrsLeadII[i] = (Dower[1, 0] * qx) + (Dower[1, 1] * qy) + (Dower[1, 2] * qz);
            max = Math.Max(max, qrsMagnitude[i]);
            for (int l = 0; l < 8; l++)
            {
                leads[(l * n) + i] = (Dower[l, 0] * ax) + (Dower[l, 1] * ay) + (Dower[l, 2] * az);
            }
        }

        int on = 0, off = n - 1;
        while (on < n - 1 && qrsMagnitude[on] < 0.03 * max)
        {
            on++;
        }

        while (off > 0 && qrsMagnitude[off] < 0.03 * max)
        {
            off--;
        }

        // The axis comes from the depolarisation dipole alone: an ST kernel's tail inside the QRS window must not
        // decide it when the net QRS area is small (e.g. Q waves cancelling R waves).
        double areaI = 0, areaAvf = 0, minV1 = 0, maxV56 = 0, maxLimb = 0;
        for (int i = on; i <= off; i++)
        {
            areaI += qrsLeadI[i];
            areaAvf += qrsLeadII[i] - (qrsLeadI[i] / 2);
        }

        Span<double> limbMin = stackalloc double[6];
        Span<double> limbMax = stackalloc double[6];
        limbMin.Fill(double.MaxValue);
        limbMax.Fill(double.MinValue);
        for (int i = on; i <= off; i++)
        {
            double leadI = leads[i], leadII = leads[n + i];
            minV1 = Math.Min(minV1, leads[(2 * n) + i]);
            maxV56 = Math.Max(maxV56, Math.Max(leads[(6 * n) + i], leads[(7 * n) + i]));
            Span<double> limb = [leadI, leadII, leadII - leadI, -(leadI + leadII) / 2, leadI - (leadII / 2), leadII - (leadI / 2)];
            for (int l = 0; l < 6; l++)
            {
                limbMin[l] = Math.Min(limbMin[l], limb[l]);
                limbMax[l] = Math.Max(limbMax[l], limb[l]);
            }
        }

        for (int l = 0; l < 6; l++)
        {
            maxLimb = Math.Max(maxLimb, limbMax[l] - limbMin[l]);
        }

        double axis = Math.Atan2(2 * areaAvf / Math.Sqrt(3), areaI) * 180 / Math.PI;
        return ((on * TemplateStep) - TemplateHalfWidth, (off * TemplateStep) - TemplateHalfWidth, axis, maxV56 - minV1, maxLimb);
    }
}
