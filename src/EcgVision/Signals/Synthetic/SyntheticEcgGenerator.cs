using System.Globalization;

namespace EcgVision.Signals.Synthetic;

/// <summary>Generates synthetic 12-lead ECGs with ground truth and a PTB-XL-style report from a <see cref="SyntheticEcgSpec"/>.</summary>
/// <remarks>
/// <para>The model follows ECGSYN (McSharry et al. 2003): each heartbeat is one turn of a limit cycle whose phase
/// θ ∈ [−π, π) advances at ω = 2π/RR; the P, Q, R, S and T waves are Gaussian events in phase,
/// z(θ) = Σᵢ aᵢ·exp(−Δθᵢ²/(2bᵢ²)), which is the closed-form solution of ECGSYN's z-equation without its baseline
/// relaxation term (the baseline is modelled separately as wander). RR intervals follow ECGSYN's bimodal spectrum
/// (Mayer waves at 0.1 Hz, respiratory sinus arrhythmia at the respiratory rate, LF/HF 0.5) scaled to the requested
/// mean and standard deviation of the heart rate.</para>
/// <para>Following Sameni et al. (2007), the signal is a 3-D cardiac dipole d(t) = (x, y, z) in Frank coordinates, each
/// axis its own sum of Gaussian kernels, projected onto the leads I, II, V1–V6 with Dower's lead vectors
/// (Dower, Machado &amp; Osborne 1980). III, aVR, aVL and aVF are then derived from I and II, so Einthoven's and
/// Goldberger's identities hold exactly (in float arithmetic), before and after noise, as on recorders that sample
/// eight independent channels.</para>
/// <para>Instead of integrating the ODE, each Gaussian event is evaluated analytically at the samples it covers, with
/// its phase position and width converted to seconds with the beat's RR interval (ECGSYN's θᵢ = 2π·tᵢ/RR). QRS
/// timings are fixed in seconds (QRS width does not change with rate); ST-T events scale with the beat's QT
/// (Bazett); the PR interval shortens slightly with rate. To band-limit the Gaussians for the sampling rate, each is
/// widened by an anti-aliasing Gaussian of σ = 0.4/fs (the convolution of two Gaussians is a Gaussian).</para>
/// <para>Output is deterministic: the same spec, seed and options give the same samples bit for bit on a given
/// platform. Thread-safe: <see cref="Generate"/> keeps no state between calls.</para>
/// </remarks>
public sealed class SyntheticEcgGenerator
{
    private static readonly (SyntheticCondition A, SyntheticCondition B, string Reason)[] s_incompatible =
    [
        (SyntheticCondition.AtrialFibrillation, SyntheticCondition.FirstDegreeAvBlock, "a PR interval needs conducted P waves, which atrial fibrillation lacks"),
        (SyntheticCondition.LeftBundleBranchBlock, SyntheticCondition.RightBundleBranchBlock, "a complete block of both bundle branches would be complete heart block"),
        (SyntheticCondition.LeftBundleBranchBlock, SyntheticCondition.LeftVentricularHypertrophy, "voltage criteria for LVH are not valid in left bundle branch block"),
        (SyntheticCondition.LeftBundleBranchBlock, SyntheticCondition.AnteroseptalInfarction, "left bundle branch block masks the Q waves of an infarction"),
        (SyntheticCondition.LeftBundleBranchBlock, SyntheticCondition.InferiorInfarction, "left bundle branch block masks the Q waves of an infarction"),
        (SyntheticCondition.LeftBundleBranchBlock, SyntheticCondition.NonSpecificStChanges, "left bundle branch block has secondary ST-T changes of its own"),
        (SyntheticCondition.LeftVentricularHypertrophy, SyntheticCondition.LowQrsVoltage, "LVH voltage criteria need high QRS voltages"),
        (SyntheticCondition.Normal, SyntheticCondition.AtrialFibrillation, "a normal ECG is in sinus rhythm"),
        (SyntheticCondition.Normal, SyntheticCondition.LeftAxisDeviation, "left axis deviation is an abnormal finding"),
    ];

    /// <summary>Creates a generator.</summary>
    /// <param name="options">Recording settings; <see langword="null"/> uses the defaults (100 Hz, 10 s, mild noise).</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is outside its documented range.</exception>
    public SyntheticEcgGenerator(SyntheticEcgOptions? options = null)
    {
        options ??= new SyntheticEcgOptions();
        Check(options.SamplingRate, 50, 2000, "SamplingRate", "Hz");
        Check(options.DurationSeconds, 2, 120, "DurationSeconds", "s");
        Check(options.BaselineWanderAmplitude, 0, 5, "BaselineWanderAmplitude", "mV");
        Check(options.MuscleNoiseAmplitude, 0, 1, "MuscleNoiseAmplitude", "mV");
        Check(options.PowerlineAmplitude, 0, 1, "PowerlineAmplitude", "mV");
        if (options.PowerlineFrequency is not (50 or 60))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.PowerlineFrequency,
                $"PowerlineFrequency must be 50 or 60 Hz (got {options.PowerlineFrequency.ToString(CultureInfo.InvariantCulture)}).");
        }

        Options = options;

        static void Check(double value, double min, double max, string name, string unit)
        {
            if (!(value >= min && value <= max))
            {
                throw new ArgumentOutOfRangeException(nameof(options), value,
                    $"{name} must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)} {unit} (got {value.ToString(CultureInfo.InvariantCulture)}).");
            }
        }
    }

    /// <summary>The recording settings.</summary>
    public SyntheticEcgOptions Options { get; }

    /// <summary>The number of samples per lead of every generated record.</summary>
    public int SampleCount => (int)Math.Round(Options.SamplingRate * Options.DurationSeconds);

    /// <summary>Checks a condition set and completes it: adds sinus rhythm when no rhythm is given and NORM when a sinus record has no diagnostic statement and no axis deviation.</summary>
    /// <param name="conditions">The requested conditions.</param>
    /// <returns>The complete set, distinct, in <see cref="SyntheticCondition.All"/> order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="conditions"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An element is <see langword="null"/> or not from the catalogue, more than one rhythm is given, or two conditions cannot occur together (e.g. AFIB with 1AVB, CLBBB with CRBBB, NORM with a diagnostic finding).</exception>
    public static IReadOnlyList<SyntheticCondition> CompleteConditions(IEnumerable<SyntheticCondition> conditions)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var set = new HashSet<SyntheticCondition>();
        foreach (SyntheticCondition? c in conditions)
        {
            if (c is null)
            {
                throw new ArgumentException("Conditions must not contain null.", nameof(conditions));
            }

            set.Add(c);
        }

        var rhythms = SyntheticCondition.All.Where(c => c.Kind == SyntheticConditionKind.Rhythm && set.Contains(c)).ToArray();
        if (rhythms.Length > 1)
        {
            throw new ArgumentException($"Conditions may hold one rhythm statement (got {string.Join(", ", rhythms.Select(r => r.Code))}).", nameof(conditions));
        }

        foreach (var (a, b, reason) in s_incompatible)
        {
            if (set.Contains(a) && set.Contains(b))
            {
                throw new ArgumentException($"Conditions {a.Code} and {b.Code} cannot be combined: {reason}.", nameof(conditions));
            }
        }

        if (set.Contains(SyntheticCondition.Normal))
        {
            var others = set.Where(c => c.Kind == SyntheticConditionKind.Diagnostic && c != SyntheticCondition.Normal).Select(c => c.Code).ToArray();
            if (others.Length > 0)
            {
                throw new ArgumentException($"Conditions NORM and {string.Join(", ", others)} cannot be combined: a normal ECG has no diagnostic finding.", nameof(conditions));
            }
        }

        if (rhythms.Length == 0)
        {
            set.Add(SyntheticCondition.SinusRhythm);
        }

        bool sinus = !set.Contains(SyntheticCondition.AtrialFibrillation);
        if (sinus && !set.Contains(SyntheticCondition.LeftAxisDeviation) && !set.Any(c => c.Kind == SyntheticConditionKind.Diagnostic))
        {
            set.Add(SyntheticCondition.Normal);
        }

        return SyntheticCondition.All.Where(set.Contains).ToArray();
    }

    /// <summary>Generates one record.</summary>
    /// <param name="spec">The conditions, heart rate, identity and demographics.</param>
    /// <param name="seed">Seed of every random choice (anatomy unless <see cref="SyntheticEcgSpec.AnatomySeed"/> is set, rhythm, noise, report wording).</param>
    /// <returns>The record with its ground truth.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The conditions cannot occur together (see <see cref="CompleteConditions"/>), or a spec value is out of range or contradicts the rhythm (e.g. sinus bradycardia at 80 bpm).</exception>
    public SyntheticEcg Generate(SyntheticEcgSpec spec, int seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Conditions is null)
        {
            throw new ArgumentException("Conditions must not be null.", nameof(spec));
        }

        SyntheticCondition[] conditions;
        try
        {
            conditions = CompleteConditions(spec.Conditions).ToArray();
        }
        catch (ArgumentException e) when (e is not ArgumentNullException)
        {
            throw new ArgumentException(e.Message.Replace(" (Parameter 'conditions')", string.Empty, StringComparison.Ordinal), nameof(spec), e);
        }

        ValidateSpec(spec, conditions);
        var rhythm = conditions.First(c => c.Kind == SyntheticConditionKind.Rhythm);
        bool hasPvc = conditions.Contains(SyntheticCondition.PrematureVentricularComplex);
        bool fibrillation = rhythm == SyntheticCondition.AtrialFibrillation;

        ulong recordSeed = SyntheticRandom.Mix((ulong)(uint)seed, 0x5EC6UL);
        ulong anatomySeed = spec.AnatomySeed is int a ? SyntheticRandom.Mix((ulong)(uint)a, 0xA7A7UL) : recordSeed;
        var rhythmRandom = new SyntheticRandom(recordSeed, 2);
        var noiseRandom = new SyntheticRandom(recordSeed, 3);
        var reportRandom = new SyntheticRandom(recordSeed, 4);

        double heartRate = spec.HeartRate ?? DrawHeartRate(rhythm, ref rhythmRandom);
        double meanRr = 60.0 / heartRate;
        HeartMorphology heart = SyntheticHeartModel.Build(conditions, anatomySeed, spec.Sex, meanRr);

        double fs = Options.SamplingRate;
        int n = SampleCount;
        double duration = n / fs;

        // Conducted beats (R fiducial times, s) from the tachogram, then premature ventricular complexes.
        double[] conducted = fibrillation
            ? FibrillationBeats(meanRr, duration, ref rhythmRandom)
            : SinusBeats(meanRr, 60.0 * spec.HeartRateStd / (heartRate * heartRate), heart.RespiratoryFrequency, duration, ref rhythmRandom);
        double inside = MeanIntervalInside(conducted, duration);
        double realisedRate = double.IsNaN(inside) ? heartRate : 60.0 / inside; // fewer than two beats in a short record
        var beats = conducted.Select(t => (Time: t, Kind: SyntheticBeatKind.Normal)).ToList();
        if (hasPvc)
        {
            InsertPrematureBeats(beats, heart, duration, ref rhythmRandom);
        }

        // The dipole, rendered beat by beat.
        var x = new double[n];
        var y = new double[n];
        var z = new double[n];
        double antiAlias = 0.4 / fs;
        for (int b = 0; b < beats.Count; b++)
        {
            double tR = beats[b].Time;
            double rrBefore = b > 0 ? tR - beats[b - 1].Time : meanRr;
            if (beats[b].Kind == SyntheticBeatKind.PrematureVentricular)
            {
                double qt = heart.QtFor(meanRr) + 0.04;
                foreach (var e in heart.Premature)
                {
                    AddEvent(x, y, z, fs, tR + e.CentreFor(qt), e.SigmaFor(qt), e.X, e.Y, e.Z, antiAlias);
                }

                continue;
            }

            double beatQt = heart.QtFor(rrBefore);
            foreach (var e in heart.Ventricular)
            {
                AddEvent(x, y, z, fs, tR + e.CentreFor(beatQt), e.SigmaFor(beatQt), e.X, e.Y, e.Z, antiAlias);
            }

            if (!fibrillation)
            {
                // P onset lies 2.5σ before the first atrial kernel.
                double pr = heart.PrIntervalAt(60.0 / rrBefore);
                double pCentre = tR + heart.QrsOnset - pr + 0.0135 + (2.5 * 0.018);
                foreach (var e in heart.Atrial)
                {
                    AddEvent(x, y, z, fs, pCentre + e.Time, e.Sigma, e.X, e.Y, e.Z, antiAlias);
                }
            }
        }

        if (fibrillation)
        {
            AddFibrillationWaves(x, y, z, fs, heart, ref rhythmRandom);
        }

        float[] data = Project(x, y, z, n);
        double noiseScale = spec.NoiseScale;
        if (Options.IncludeNoise && noiseScale > 0)
        {
            AddNoise(data, n, fs, heart.RespiratoryFrequency, noiseScale, ref noiseRandom);
        }

        DeriveLimbLeads(data, n);

        var rPeaks = new List<int>();
        var kinds = new List<SyntheticBeatKind>();
        foreach (var (time, kind) in beats)
        {
            // Ground truth is the peak of the QRS's dominant deflection in lead II, not the template's fiducial (they differ
            // for wide complexes; see SyntheticHeartModel.LeadIIPeakOffset).
            double offset = kind == SyntheticBeatKind.PrematureVentricular ? heart.PrematurePeakOffset : heart.VentricularPeakOffset;
            int index = (int)Math.Round((time + offset) * fs);
            if (index >= 0 && index < n)
            {
                rPeaks.Add(index);
                kinds.Add(kind);
            }
        }

        var findings = new SyntheticFindings
        {
            Conditions = conditions,
            HeartRate = realisedRate,
            PrIntervalMs = fibrillation ? null : heart.PrIntervalAt(realisedRate) * 1000,
            QrsDurationMs = heart.QrsDurationMs,
            FrontalAxisDegrees = heart.FrontalAxisDegrees,
            PrematureBeatCount = kinds.Count(k => k == SyntheticBeatKind.PrematureVentricular),
            AnteriorInfarctionAcute = heart.AnteriorInfarctionAcute,
            AnteriorInfarctionTInversion = heart.AnteriorInfarctionTInversion,
            InferiorInfarctionAcute = heart.InferiorInfarctionAcute,
            InferiorInfarctionTInversion = heart.InferiorInfarctionTInversion,
            LvhStrain = heart.LvhStrain,
            Age = spec.Age,
            HasPreviousRecord = spec.HasPreviousRecord,
            BaselineWander = Options.IncludeNoise ? Options.BaselineWanderAmplitude * noiseScale : 0,
            MuscleNoise = Options.IncludeNoise ? Options.MuscleNoiseAmplitude * noiseScale : 0,
        };
        var (report, codes) = SyntheticReportWriter.Write(findings, ref reportRandom);

        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["synthetic_seed"] = seed.ToString(CultureInfo.InvariantCulture),
        };
        if (spec.StratFold is int fold)
        {
            properties["strat_fold"] = fold.ToString(CultureInfo.InvariantCulture);
        }

        var metadata = new EcgMetadata
        {
            Id = spec.Id,
            PatientId = spec.PatientId,
            Age = spec.Age,
            Sex = spec.Sex,
            Report = report,
            Codes = codes.AsReadOnly(),
            Superclasses = SyntheticCondition.Superclasses.Where(s => conditions.Any(c => c.Kind == SyntheticConditionKind.Diagnostic && c.Superclass == s)).ToArray(),
            Subclasses = conditions.Where(c => c.Kind == SyntheticConditionKind.Diagnostic).Select(c => c.Subclass!).Distinct().ToArray(),
            Source = "EcgVision synthetic ECG (ECGSYN-style dipole model)",
            Properties = properties.AsReadOnly(),
        };

        var record = new EcgRecord(data, fs, StandardLeads.TwelveLead.ToArray(), metadata, takeOwnership: true);
        return new SyntheticEcg(record, rPeaks.ToArray(), kinds.ToArray(), conditions, realisedRate,
            findings.PrIntervalMs, heart.QrsDurationMs, heart.FrontalAxisDegrees, seed);
    }

    private static void ValidateSpec(SyntheticEcgSpec spec, SyntheticCondition[] conditions)
    {
        var inv = CultureInfo.InvariantCulture;
        if (spec.HeartRate is double hr)
        {
            if (!(hr >= 30 && hr <= 220))
            {
                throw new ArgumentException($"HeartRate must be between 30 and 220 bpm (got {hr.ToString(inv)}).", nameof(spec));
            }

            if (conditions.Contains(SyntheticCondition.SinusRhythm) && (hr < 60 || hr > 100))
            {
                throw new ArgumentException($"HeartRate must be between 60 and 100 bpm for sinus rhythm (SR) (got {hr.ToString(inv)}); use SBRAD or STACH.", nameof(spec));
            }

            if (conditions.Contains(SyntheticCondition.SinusBradycardia) && hr >= 60)
            {
                throw new ArgumentException($"HeartRate must be below 60 bpm for sinus bradycardia (SBRAD) (got {hr.ToString(inv)}).", nameof(spec));
            }

            if (conditions.Contains(SyntheticCondition.SinusTachycardia) && hr <= 100)
            {
                throw new ArgumentException($"HeartRate must be above 100 bpm for sinus tachycardia (STACH) (got {hr.ToString(inv)}).", nameof(spec));
            }
        }

        if (!(spec.HeartRateStd >= 0 && spec.HeartRateStd <= 10))
        {
            throw new ArgumentException($"HeartRateStd must be between 0 and 10 bpm (got {spec.HeartRateStd.ToString(inv)}).", nameof(spec));
        }

        if (spec.Age is double age && !(age >= 0 && age <= 120))
        {
            throw new ArgumentException($"Age must be between 0 and 120 years (got {age.ToString(inv)}).", nameof(spec));
        }

        if (spec.StratFold is int fold && (fold < 1 || fold > 10))
        {
            throw new ArgumentException($"StratFold must be between 1 and 10 (got {fold}).", nameof(spec));
        }

        if (!(spec.NoiseScale >= 0 && spec.NoiseScale <= 10))
        {
            throw new ArgumentException($"NoiseScale must be between 0 and 10 (got {spec.NoiseScale.ToString(inv)}).", nameof(spec));
        }
    }

    private static double DrawHeartRate(SyntheticCondition rhythm, ref SyntheticRandom random)
    {
        if (rhythm == SyntheticCondition.SinusBradycardia)
        {
            return random.Uniform(42, 57);
        }

        if (rhythm == SyntheticCondition.SinusTachycardia)
        {
            return random.Uniform(105, 150);
        }

        if (rhythm == SyntheticCondition.AtrialFibrillation)
        {
            return random.Uniform(60, 130);
        }

        return random.Uniform(60, 95);
    }

    /// <summary>Sinus R times from ECGSYN's RR tachogram: a bimodal spectrum (Mayer waves at 0.1 Hz, RSA at the respiratory rate, LF/HF 0.5, widths 0.01 Hz) with random phases.</summary>
    private static double[] SinusBeats(double meanRr, double stdRr, double respiratoryFrequency, double duration, ref SyntheticRandom random)
    {
        const int Bins = 128;
        const double Df = 1.0 / 256; // ECGSYN: 256 tachogram samples at 1 Hz
        const double LfHf = 0.5, C1 = 0.01, C2 = 0.01;
        Span<double> amplitude = stackalloc double[Bins];
        Span<double> phase = stackalloc double[Bins];
        double variance = 0;
        for (int k = 1; k < Bins; k++)
        {
            double f = k * Df;
            double s = (LfHf * Math.Exp(-Math.Pow(f - 0.1, 2) / (2 * C1 * C1)) / (C1 * Math.Sqrt(2 * Math.PI)))
                + (Math.Exp(-Math.Pow(f - respiratoryFrequency, 2) / (2 * C2 * C2)) / (C2 * Math.Sqrt(2 * Math.PI)));
            amplitude[k] = Math.Sqrt(s);
            phase[k] = random.Uniform(0, 2 * Math.PI);
            variance += s / 2;
        }

        double norm = variance > 0 ? stdRr / Math.Sqrt(variance) : 0;
        double start = -(1.2 + random.Uniform(0, meanRr));
        var intervals = new List<double>();
        double t = start;
        while (t < duration + 3)
        {
            double g = 0;
            for (int k = 1; k < Bins; k++)
            {
                if (amplitude[k] > 1e-3)
                {
                    g += amplitude[k] * Math.Cos((2 * Math.PI * k * Df * t) + phase[k]);
                }
            }

            double rr = Math.Clamp(meanRr + (norm * g), 0.25, 3.0);
            intervals.Add(rr);
            t += rr;
        }

        return FitMean(start, intervals, meanRr, duration);
    }

    /// <summary>Irregularly irregular ventricular response: independent log-normal RR intervals (coefficient of variation about 0.2).</summary>
    private static double[] FibrillationBeats(double meanRr, double duration, ref SyntheticRandom random)
    {
        double spread = random.Uniform(0.18, 0.26);
        double start = -(1.2 + random.Uniform(0, meanRr));
        var intervals = new List<double>();
        double t = start;
        while (t < duration + 3)
        {
            double rr = Math.Clamp(meanRr * Math.Exp((spread * random.NextGaussian()) - (spread * spread / 2)), 0.28, 2.5 * meanRr);
            intervals.Add(rr);
            t += rr;
        }

        return FitMean(start, intervals, meanRr, duration);
    }

    /// <summary>Rescales the intervals so the mean RR of the beats inside the record equals <paramref name="meanRr"/>, then lists the R times.</summary>
    private static double[] FitMean(double start, List<double> intervals, double meanRr, double duration)
    {
        var times = new double[intervals.Count + 1];
        double scale = 1;
        for (int iteration = 0; iteration < 6; iteration++)
        {
            times[0] = start;
            for (int i = 0; i < intervals.Count; i++)
            {
                times[i + 1] = times[i] + (intervals[i] * scale);
            }

            double inside = MeanIntervalInside(times, duration);
            if (double.IsNaN(inside))
            {
                break;
            }

            scale *= meanRr / inside;
        }

        return times.Where(t => t < duration + 1.5).ToArray();
    }

    private static double MeanIntervalInside(double[] times, double duration)
    {
        double first = double.NaN, last = double.NaN;
        int count = 0;
        foreach (double t in times)
        {
            if (t >= 0 && t < duration)
            {
                if (count == 0)
                {
                    first = t;
                }

                last = t;
                count++;
            }
        }

        return count >= 2 ? (last - first) / (count - 1) : double.NaN;
    }

    /// <summary>Replaces 1–3 conducted beats by premature ventricular complexes with a fully compensatory pause (the next conducted beat keeps its time).</summary>
    private static void InsertPrematureBeats(List<(double Time, SyntheticBeatKind Kind)> beats, HeartMorphology heart, double duration, ref SyntheticRandom random)
    {
        double roll = random.NextDouble();
        int wanted = roll < 0.5 ? 1 : roll < 0.85 ? 2 : 3;
        var candidates = new List<int>();
        for (int i = 2; i < beats.Count - 1; i++)
        {
            if (beats[i].Time >= 0.6 && beats[i].Time <= duration - 1.0)
            {
                candidates.Add(i);
            }
        }

        if (candidates.Count == 0)
        {
            // Short records: any beat well inside the record will do.
            for (int i = 2; i < beats.Count - 1; i++)
            {
                if (beats[i].Time >= 0.3 && beats[i].Time <= duration - 0.3)
                {
                    candidates.Add(i);
                }
            }
        }

        var chosen = new List<int>();
        for (int attempt = 0; attempt < 20 && chosen.Count < wanted && candidates.Count > 0; attempt++)
        {
            int pick = candidates[random.NextInt(candidates.Count)];
            if (chosen.All(c => Math.Abs(c - pick) > 1))
            {
                chosen.Add(pick);
            }
        }

        foreach (int i in chosen)
        {
            double previous = beats[i - 1].Time;
            double rr = beats[i].Time - previous;
            double coupling = random.Uniform(0.55, 0.68) * rr;
            double afterT = heart.QtFor(previous - beats[i - 2].Time) + 0.06;
            coupling = Math.Min(Math.Max(coupling, afterT), 0.8 * rr);
            beats[i] = (previous + coupling, SyntheticBeatKind.PrematureVentricular);
        }
    }

    private static void AddEvent(double[] x, double[] y, double[] z, double fs, double centre, double sigma, double ex, double ey, double ez, double antiAlias)
    {
        double s = Math.Sqrt((sigma * sigma) + (antiAlias * antiAlias));
        double gain = sigma / s;
        int first = Math.Max(0, (int)Math.Ceiling((centre - (5 * s)) * fs));
        int last = Math.Min(x.Length - 1, (int)Math.Floor((centre + (5 * s)) * fs));
        double inv = 1 / (s * fs);
        double offset = centre * fs;
        for (int i = first; i <= last; i++)
        {
            double d = (i - offset) * inv;
            double g = gain * Math.Exp(-0.5 * d * d);
            x[i] += ex * g;
            y[i] += ey * g;
            z[i] += ez * g;
        }
    }

    /// <summary>Fibrillatory f-waves: a 4.5–7.5 Hz atrial dipole oscillation with drifting frequency and amplitude, largest in V1 and the inferior leads.</summary>
    private static void AddFibrillationWaves(double[] x, double[] y, double[] z, double fs, HeartMorphology heart, ref SyntheticRandom random)
    {
        double phase = random.Uniform(0, 2 * Math.PI);
        double fmPhase = random.Uniform(0, 2 * Math.PI), amPhase = random.Uniform(0, 2 * Math.PI), harmonic = random.Uniform(0, 2 * Math.PI);
        double fmRate = random.Uniform(0.08, 0.2), amRate = random.Uniform(0.2, 0.5);
        var (vx, vy, vz) = heart.FibrillationVector;
        for (int i = 0; i < x.Length; i++)
        {
            double t = i / fs;
            double f = heart.FibrillationFrequency + (0.7 * Math.Sin((2 * Math.PI * fmRate * t) + fmPhase));
            phase += 2 * Math.PI * f / fs;
            double a = 0.7 + (0.3 * Math.Sin((2 * Math.PI * amRate * t) + amPhase));
            double w = a * (Math.Sin(phase) + (0.3 * Math.Sin((2 * phase) + harmonic)));
            x[i] += vx * w;
            y[i] += vy * w;
            z[i] += vz * w;
        }
    }

    /// <summary>Projects the dipole onto I, II and V1–V6 (Dower lead vectors) into lead-major storage.</summary>
    private static float[] Project(double[] x, double[] y, double[] z, int n)
    {
        var data = new float[12 * n];
        ReadOnlySpan<int> target = [0, 1, 6, 7, 8, 9, 10, 11];
        var d = SyntheticHeartModel.Dower;
        for (int l = 0; l < 8; l++)
        {
            double cx = d[l, 0], cy = d[l, 1], cz = d[l, 2];
            Span<float> lead = data.AsSpan(target[l] * n, n);
            for (int i = 0; i < n; i++)
            {
                lead[i] = (float)((cx * x[i]) + (cy * y[i]) + (cz * z[i]));
            }
        }

        return data;
    }

    /// <summary>Electrode noise on the eight independent channels: baseline wander, EMG-like muscle noise, powerline interference.</summary>
    /// <remarks>Sinusoids advance by complex rotation (one multiply per sample instead of a sine); Gaussian samples come in Box–Muller pairs.</remarks>
    private void AddNoise(float[] data, int n, double fs, double respiratoryFrequency, double scale, ref SyntheticRandom random)
    {
        ReadOnlySpan<int> channels = [0, 1, 6, 7, 8, 9, 10, 11];
        double wander = Options.BaselineWanderAmplitude * scale;
        double muscle = Options.MuscleNoiseAmplitude * scale;
        double powerline = Options.PowerlineFrequency < fs / 2 ? Options.PowerlineAmplitude * scale : 0;
        double drift = random.Uniform(0.02, 0.08);
        var gaussian = new double[n + 2];
        foreach (int channel in channels)
        {
            Span<float> lead = data.AsSpan(channel * n, n);
            var respiration = new Oscillator(respiratoryFrequency / fs, random.Uniform(0, 2 * Math.PI), wander * random.Uniform(0.3, 0.7));
            var slow = new Oscillator(drift / fs, random.Uniform(0, 2 * Math.PI), wander * random.Uniform(0.2, 0.5));
            var burst = new Oscillator(random.Uniform(0.1, 0.5) / fs, random.Uniform(0, 2 * Math.PI), 0.45);
            var mains = new Oscillator(Options.PowerlineFrequency / fs, random.Uniform(0, 2 * Math.PI), powerline * random.Uniform(0.5, 1.0));
            for (int i = 0; i < gaussian.Length; i += 2)
            {
                random.NextGaussianPair(out gaussian[i], out gaussian[i + 1]);
            }

            for (int i = 0; i < n; i++)
            {
                double emg = (gaussian[i + 1] - gaussian[i]) * 0.7071067811865476; // first difference: high-pass, unit variance
                double value = respiration.Next() + slow.Next() + (muscle * (0.55 + burst.Next()) * emg);
                if (powerline > 0)
                {
                    value += mains.Next();
                }

                lead[i] += (float)value;
            }
        }
    }

    /// <summary>A·sin(2π·f·i + φ) by complex rotation, renormalised now and then so rounding cannot drift the amplitude.</summary>
    private struct Oscillator(double cyclesPerSample, double phase, double amplitude)
    {
        private readonly double _c = Math.Cos(2 * Math.PI * cyclesPerSample), _s = Math.Sin(2 * Math.PI * cyclesPerSample);
        private double _re = Math.Cos(phase), _im = Math.Sin(phase);
        private int _count;

        public double Next()
        {
            double value = amplitude * _im;
            double re = (_re * _c) - (_im * _s);
            _im = (_re * _s) + (_im * _c);
            _re = re;
            if (++_count == 1024)
            {
                double norm = 1 / Math.Sqrt((_re * _re) + (_im * _im));
                _re *= norm;
                _im *= norm;
                _count = 0;
            }

            return value;
        }
    }

    /// <summary>III = II − I, aVR = −(I + II)/2, aVL = I − II/2, aVF = II − I/2.</summary>
    private static void DeriveLimbLeads(float[] data, int n)
    {
        for (int i = 0; i < n; i++)
        {
            float leadI = data[i], leadII = data[n + i];
            data[(2 * n) + i] = leadII - leadI;
            data[(3 * n) + i] = -(leadI + leadII) / 2;
            data[(4 * n) + i] = leadI - (leadII / 2);
            data[(5 * n) + i] = leadII - (leadI / 2);
        }
    }
}
