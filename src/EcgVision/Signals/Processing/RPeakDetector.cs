using System.Globalization;

namespace EcgVision.Signals.Processing;

/// <summary>Options for <see cref="RPeakDetector"/>; validated when the detector is constructed.</summary>
public sealed record RPeakDetectorOptions
{
    /// <summary>Lower edge of the QRS band-pass in Hz; default 5.</summary>
    public double LowCutoffHz { get; init; } = 5;

    /// <summary>Upper edge of the QRS band-pass in Hz; default 15. The sampling rate must exceed twice this value.</summary>
    public double HighCutoffHz { get; init; } = 15;

    /// <summary>Minimum time between two R peaks; default 200 ms (Pan–Tompkins' refractory period, 300 bpm).</summary>
    public TimeSpan RefractoryPeriod { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Width of the moving-window integrator; default 150 ms (about the widest normal QRS).</summary>
    public TimeSpan IntegrationWindow { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>Whether to search back with half the threshold when no beat was found for <see cref="SearchBackFactor"/> × the mean RR; default on.</summary>
    public bool SearchBack { get; init; } = true;

    /// <summary>RR multiple after which search-back starts; default 1.66 (Pan–Tompkins' "RR missed limit").</summary>
    public double SearchBackFactor { get; init; } = 1.66;

    /// <summary>A candidate this soon after a beat whose steepest slope is under half the previous beat's is taken as a T wave; default 360 ms.</summary>
    /// <remarks>This is the window at 60 bpm; like QT (Bazett) it scales with √RR, using the mean of the last 8 RR intervals
    /// (clamped to 0.25–2 s): 208 ms at 180 bpm, 441 ms at 40 bpm.</remarks>
    public TimeSpan TWaveWindow { get; init; } = TimeSpan.FromMilliseconds(360);

    /// <summary>Half-width of the window, centred on the detected QRS energy, in which the R peak is located; default 80 ms.</summary>
    public TimeSpan LocalizationWindow { get; init; } = TimeSpan.FromMilliseconds(80);

    /// <summary>The lead on which the record-level <see cref="RPeakDetector.Detect(EcgRecord)"/> locates the R peaks; default <c>II</c>.</summary>
    public string Lead { get; init; } = "II";

    /// <summary>When true (default), the record-level overload finds the QRS complexes in the summed QRS energy of all leads and
    /// locates each R peak on <see cref="Lead"/>; when false, it detects on <see cref="Lead"/> alone, like the span overload.</summary>
    /// <remarks>All leads make detection robust where the QRS is low or wide in <see cref="Lead"/> (lead II in bundle branch block,
    /// or with an axis near −30°), where a single-lead detector can take the P or T wave for the QRS.</remarks>
    public bool DetectOnAllLeads { get; init; } = true;

    /// <summary>When true, the record-level overload sums the QRS energy of all leads and also locates each beat on all leads
    /// (where their summed absolute amplitude peaks) instead of on <see cref="Lead"/>; default false. Overrides <see cref="DetectOnAllLeads"/>.</summary>
    public bool CombineLeads { get; init; }
}

/// <summary>Pan–Tompkins-style R-peak detector.</summary>
/// <remarks>
/// Steps (Pan &amp; Tompkins, IEEE TBME 1985, with zero-phase filters so no delay compensation is needed):
/// <list type="number">
/// <item>zero-phase Butterworth band-pass 5–15 Hz (order 2), which removes baseline wander, T waves and mains noise;</item>
/// <item>five-point central derivative, squared (both polarities count);</item>
/// <item>centred moving-window integration over 150 ms; local maxima at least 100 ms (half the refractory period) apart are
/// candidates, the record's first and last samples included;</item>
/// <item>adaptive thresholds: signal and noise peak levels, initialised robustly from the per-second maxima of the first
/// 10 s, updated with weights 1/8 (1/4 for search-back), threshold = noise + ¼ (signal − noise);</item>
/// <item>refractory period (200 ms), T-wave discrimination (within 360 ms × √(mean RR / 1 s) of a beat, a candidate with less than
/// half the previous beat's maximal slope is noise), its mirror image for P waves (a candidate in that window with more than twice
/// the previous beat's integrated energy and 1.25 × its slope replaces it) and search-back with half the threshold when 1.66 × the
/// mean of the last 8 RR intervals pass without a beat;</item>
/// <item>each beat is then located on a zero-phase 0.5–40 Hz band-passed copy of the signal (upper edge at most 0.45 × rate) as the
/// extreme sample within ±80 ms of the detection, in the record's dominant QRS polarity (chosen by comparing the median positive
/// and negative peak amplitudes over all beats), so negative-polarity complexes are located on their main deflection; a beat whose
/// opposite-polarity extreme is more than 1.5 × larger (an inverted premature ventricular complex) is located on that; an extreme
/// on the record's first or last sample (the tail of a complex outside the record) is dropped.</item>
/// </list>
/// The located point is the peak of the QRS's dominant deflection: the R wave, R′ where it is the larger, the main lobe of a wide
/// complex, the convention of <see cref="Synthetic.SyntheticEcg.RPeaks"/>. For 12-lead records prefer the record overload, which
/// finds the QRS complexes on all leads (see <see cref="RPeakDetectorOptions.DetectOnAllLeads"/>).
/// Works from 100 Hz upwards (any rate above twice <see cref="RPeakDetectorOptions.HighCutoffHz"/>). Signals too short for the
/// band-pass filters' padding (under ~16 samples) give no peaks. NaN makes the filtered signal NaN, so input with NaN is rejected.
/// Instances are immutable and thread-safe.
/// </remarks>
public sealed class RPeakDetector
{
    private const int FilterOrder = 2;

    // A beat whose opposite-polarity extreme is more than this multiple of its extreme in the record's dominant polarity is located on the former.
    private const double OppositePolarityRatio = 1.5;

    // A candidate within the T-wave window after a beat, with more than this multiple of its integrated energy ...
    private const double PWaveEnergyRatio = 2;

    // ... and more than this multiple of its steepest slope, replaces it (the earlier one was a P wave).
    private const double PWaveSlopeRatio = 1.25;

    /// <summary>Creates a detector.</summary>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it, the rule and the value.</exception>
    /// <exception cref="ArgumentException"><see cref="RPeakDetectorOptions.Lead"/> is empty.</exception>
    public RPeakDetector(RPeakDetectorOptions? options = null)
    {
        Options = options ?? new RPeakDetectorOptions();
        RPeakDetectorOptions o = Options;
        if (!(o.LowCutoffHz > 0) || !double.IsFinite(o.LowCutoffHz))
        {
            Throw(nameof(o.LowCutoffHz), "must be finite and greater than 0", F(o.LowCutoffHz));
        }

        if (!(o.HighCutoffHz > o.LowCutoffHz) || !double.IsFinite(o.HighCutoffHz))
        {
            Throw(nameof(o.HighCutoffHz), $"must be finite and greater than LowCutoffHz ({F(o.LowCutoffHz)})", F(o.HighCutoffHz));
        }

        CheckDuration(nameof(o.RefractoryPeriod), o.RefractoryPeriod, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1));
        CheckDuration(nameof(o.IntegrationWindow), o.IntegrationWindow, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));
        CheckDuration(nameof(o.TWaveWindow), o.TWaveWindow, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        CheckDuration(nameof(o.LocalizationWindow), o.LocalizationWindow, TimeSpan.Zero, TimeSpan.FromMilliseconds(300));
        if (!(o.SearchBackFactor > 1) || !double.IsFinite(o.SearchBackFactor))
        {
            Throw(nameof(o.SearchBackFactor), "must be finite and greater than 1", F(o.SearchBackFactor));
        }

        if (!o.CombineLeads && string.IsNullOrWhiteSpace(o.Lead))
        {
            throw new ArgumentException("options.Lead must name a lead (e.g. \"II\") unless CombineLeads is set (got an empty name).", nameof(options));
        }
    }

    /// <summary>The options in use.</summary>
    public RPeakDetectorOptions Options { get; }

    /// <summary>Detects R peaks in one lead.</summary>
    /// <param name="signal">One ECG lead (any unit; baseline wander and either QRS polarity are fine).</param>
    /// <param name="samplingRate">Sampling rate in Hz, above 2 × <see cref="RPeakDetectorOptions.HighCutoffHz"/> (30 Hz by default).</param>
    /// <returns>Sample indices of the R peaks, ascending.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samplingRate"/> is invalid or too low for the band-pass.</exception>
    /// <exception cref="ArgumentException"><paramref name="signal"/> has NaN or ∞.</exception>
    public int[] Detect(ReadOnlySpan<float> signal, double samplingRate)
    {
        CheckRate(samplingRate);
        for (int i = 0; i < signal.Length; i++)
        {
            if (!float.IsFinite(signal[i]))
            {
                throw new ArgumentException($"signal has a non-finite sample ({signal[i].ToString(CultureInfo.InvariantCulture)}) at index {i}; interpolate missing data first.", nameof(signal));
            }
        }

        var filters = new Filters(Options, samplingRate);
        if (signal.Length <= filters.MinimumLength)
        {
            return [];
        }

        double[] bandPassed = filters.QrsBand(signal);
        double[] derivative = Derivative(bandPassed, samplingRate);
        double[] energy = new double[derivative.Length];
        for (int i = 0; i < energy.Length; i++)
        {
            energy[i] = derivative[i] * derivative[i];
        }

        List<int> beats = FindBeats(energy, derivative, samplingRate);
        double[] wide = filters.WideBand(signal);
        return Locate(beats, [wide], samplingRate, combined: false);
    }

    /// <summary>Detects R peaks in a record: QRS complexes on all leads (or on <see cref="RPeakDetectorOptions.Lead"/>), R peaks located on <see cref="RPeakDetectorOptions.Lead"/> (or on all leads).</summary>
    /// <param name="record">The record.</param>
    /// <returns>Sample indices of the R peaks, ascending.</returns>
    /// <remarks>With <see cref="RPeakDetectorOptions.DetectOnAllLeads"/> (the default) or <see cref="RPeakDetectorOptions.CombineLeads"/>,
    /// the squared 5–15 Hz derivatives of all leads are summed before integration. Each beat is then located on
    /// <see cref="RPeakDetectorOptions.Lead"/> as in the span overload (a beat with no deflection at all in that lead is dropped), or,
    /// with <see cref="RPeakDetectorOptions.CombineLeads"/>, where the summed absolute 0.5–40 Hz amplitude of all leads peaks.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">The record has no lead named <see cref="RPeakDetectorOptions.Lead"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The sampling rate is too low for the band-pass.</exception>
    /// <exception cref="ArgumentException">The record has NaN or ∞ samples in a lead that is used.</exception>
    public int[] Detect(EcgRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!Options.CombineLeads && !Options.DetectOnAllLeads)
        {
            return Detect(record.GetLead(Options.Lead), record.SamplingRate);
        }

        ReadOnlySpan<float> located = Options.CombineLeads ? default : record.GetLead(Options.Lead);
        CheckRate(record.SamplingRate);
        EcgPreprocessing.EnsureFinite(record);
        var filters = new Filters(Options, record.SamplingRate);
        if (record.SampleCount <= filters.MinimumLength)
        {
            return [];
        }

        var energy = new double[record.SampleCount];
        var derivativeSum = new double[record.SampleCount];
        var wide = new double[Options.CombineLeads ? record.LeadCount : 0][];
        for (int lead = 0; lead < record.LeadCount; lead++)
        {
            double[] d = Derivative(filters.QrsBand(record.GetLead(lead)), record.SamplingRate);
            for (int i = 0; i < d.Length; i++)
            {
                energy[i] += d[i] * d[i];
                derivativeSum[i] += Math.Abs(d[i]);
            }

            if (Options.CombineLeads)
            {
                wide[lead] = filters.WideBand(record.GetLead(lead));
            }
        }

        List<int> beats = FindBeats(energy, derivativeSum, record.SamplingRate);
        return Options.CombineLeads
            ? Locate(beats, wide, record.SamplingRate, combined: true)
            : Locate(beats, [filters.WideBand(located)], record.SamplingRate, combined: false);
    }

    private void CheckRate(double samplingRate)
    {
        if (!double.IsFinite(samplingRate) || !(samplingRate > 2 * Options.HighCutoffHz))
        {
            throw new ArgumentOutOfRangeException(nameof(samplingRate), samplingRate,
                $"samplingRate must be finite and above twice HighCutoffHz ({F(2 * Options.HighCutoffHz)} Hz) (got {F(samplingRate)}).");
        }
    }

    // Five-point central derivative (Pan-Tompkins' derivative without its delay), in signal units per second.
    private static double[] Derivative(double[] x, double samplingRate)
    {
        var d = new double[x.Length];
        for (int i = 2; i < x.Length - 2; i++)
        {
            d[i] = ((2 * x[i + 2]) + x[i + 1] - x[i - 1] - (2 * x[i - 2])) * samplingRate / 8;
        }

        return d;
    }

    private static int Samples(TimeSpan t, double samplingRate) => Math.Max(1, (int)Math.Round(t.TotalSeconds * samplingRate));

    private List<int> FindBeats(double[] energy, double[] slope, double fs)
    {
        int n = energy.Length;
        int window = Samples(Options.IntegrationWindow, fs);
        int refractory = Samples(Options.RefractoryPeriod, fs);
        double tWaveAt60Bpm = Options.TWaveWindow.TotalSeconds * fs;

        // Centred moving-window integration.
        var mwi = new double[n];
        double running = 0;
        int lead = window / 2;
        for (int i = 0; i < n + lead; i++)
        {
            if (i < n)
            {
                running += energy[i];
            }

            if (i - window >= 0)
            {
                running -= energy[i - window];
            }

            int centre = i - lead;
            if (centre >= 0)
            {
                mwi[centre] = Math.Max(0, running / window);
            }
        }

        // Candidates: local maxima of the integrated energy, the largest within ± half the refractory period.
        int neighbourhood = Math.Max(1, refractory / 2);
        // The record's first and last samples count too: a complex cut by the record edge still has its energy maximum there.
        var candidates = new List<int>();
        for (int i = 0; i < n; i++)
        {
            bool rising = i == 0 || mwi[i] > mwi[i - 1];
            bool notFalling = i == n - 1 || mwi[i] >= mwi[i + 1];
            if (rising && notFalling && mwi[i] > 0 && IsNeighbourhoodMax(mwi, i, neighbourhood))
            {
                candidates.Add(i);
            }
        }

        if (candidates.Count == 0)
        {
            return [];
        }

        // Robust initial levels: median of per-second maxima (most seconds hold a beat at >= 60 bpm) and median energy.
        int learn = Math.Min(n, (int)Math.Round(10 * fs));
        int second = Math.Max(1, (int)Math.Round(fs));
        var blockMax = new List<double>();
        for (int start = 0; start + (second / 2) <= learn; start += second)
        {
            double m = 0;
            for (int i = start; i < Math.Min(learn, start + second); i++)
            {
                m = Math.Max(m, mwi[i]);
            }

            blockMax.Add(m);
        }

        double signalLevel = 0.5 * Median(blockMax);
        double noiseLevel = Median(mwi.AsSpan(0, learn).ToArray().ToList());
        double threshold = noiseLevel + (0.25 * (signalLevel - noiseLevel));

        var beats = new List<int>();
        var beatSlopes = new List<double>();

        double Slope(int at)
        {
            double m = 0;
            for (int i = Math.Max(0, at - window); i <= Math.Min(n - 1, at + window); i++)
            {
                m = Math.Max(m, Math.Abs(slope[i]));
            }

            return m;
        }

        void Accept(int at)
        {
            beats.Add(at);
            beatSlopes.Add(Slope(at));
        }

        // Mean of the last (up to) 8 RR intervals; beats are accepted in time order, so it is (last − 9th last) / count.
        double MeanRr()
        {
            int count = Math.Min(8, beats.Count - 1);
            return (beats[^1] - beats[^(count + 1)]) / (double)count;
        }

        bool TrySearchBack(int until)
        {
            if (!Options.SearchBack || beats.Count < 2)
            {
                return false;
            }

            double meanRr = MeanRr();
            if (until - beats[^1] <= Options.SearchBackFactor * meanRr)
            {
                return false;
            }

            int best = -1;
            foreach (int c in candidates)
            {
                if (c > beats[^1] + refractory && c < until - refractory && mwi[c] > 0.5 * threshold
                    && (best < 0 || mwi[c] > mwi[best]))
                {
                    best = c;
                }
            }

            if (best < 0)
            {
                return false;
            }

            Accept(best);
            signalLevel = (0.25 * mwi[best]) + (0.75 * signalLevel);
            threshold = noiseLevel + (0.25 * (signalLevel - noiseLevel));
            return true;
        }

        // The T wave follows the QT interval, which scales with √RR (Bazett): the window is TWaveWindow at 60 bpm, scaled
        // with the mean RR of the last beats (RR clamped to 0.25–2 s). A fixed 360 ms would reach past the next beat at
        // 180 bpm and take a wide premature complex coupled 300 ms after the last beat for a T wave.
        int TWave() => beats.Count < 2
            ? (int)Math.Round(tWaveAt60Bpm)
            : (int)Math.Round(tWaveAt60Bpm * Math.Sqrt(Math.Clamp(MeanRr() / fs, 0.25, 2)));

        foreach (int c in candidates)
        {
            while (TrySearchBack(c))
            {
            }

            int tWave = TWave();

            double v = mwi[c];
            if (beats.Count > 0 && c - beats[^1] < tWave && v > threshold
                && v > PWaveEnergyRatio * mwi[beats[^1]] && Slope(c) > PWaveSlopeRatio * beatSlopes[^1])
            {
                // The mirror image of the T-wave rule: the previous "beat" had well under half this complex's energy and a
                // clearly smaller slope, so it was the P wave (or an artefact) before it. This happens where the QRS is low and
                // wide in the analysed lead (e.g. lead II in left bundle branch block) and the P wave clears the threshold.
                noiseLevel = (0.125 * mwi[beats[^1]]) + (0.875 * noiseLevel);
                beats.RemoveAt(beats.Count - 1);
                beatSlopes.RemoveAt(beatSlopes.Count - 1);
                Accept(c);
                signalLevel = (0.125 * v) + (0.875 * signalLevel);
                threshold = noiseLevel + (0.25 * (signalLevel - noiseLevel));
                continue;
            }

            if (beats.Count > 0 && c - beats[^1] < refractory)
            {
                continue;
            }

            if (v > threshold)
            {
                bool tWaveLike = beats.Count > 0 && c - beats[^1] < tWave && Slope(c) < 0.5 * beatSlopes[^1];
                if (tWaveLike)
                {
                    noiseLevel = (0.125 * v) + (0.875 * noiseLevel);
                }
                else
                {
                    Accept(c);
                    signalLevel = (0.125 * v) + (0.875 * signalLevel);
                }
            }
            else
            {
                noiseLevel = (0.125 * v) + (0.875 * noiseLevel);
            }

            threshold = noiseLevel + (0.25 * (signalLevel - noiseLevel));
        }

        while (TrySearchBack(n + refractory))
        {
        }

        beats.Sort();
        return beats;
    }

    private static bool IsNeighbourhoodMax(double[] x, int at, int radius)
    {
        for (int i = Math.Max(0, at - radius); i <= Math.Min(x.Length - 1, at + radius); i++)
        {
            if (x[i] > x[at] || (x[i] == x[at] && i < at))
            {
                return false;
            }
        }

        return true;
    }

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        values.Sort();
        int m = values.Count / 2;
        return values.Count % 2 == 1 ? values[m] : 0.5 * (values[m - 1] + values[m]);
    }

    private int[] Locate(List<int> beats, double[][] wide, double fs, bool combined)
    {
        int n = wide[0].Length;
        int half = (int)Math.Round(Options.LocalizationWindow.TotalSeconds * fs);
        int refractory = Samples(Options.RefractoryPeriod, fs);
        var peaks = new List<int>(beats.Count);
        if (combined)
        {
            foreach (int b in beats)
            {
                int best = -1;
                double bestValue = double.NegativeInfinity;
                for (int i = Math.Max(0, b - half); i <= Math.Min(n - 1, b + half); i++)
                {
                    double v = 0;
                    foreach (double[] lead in wide)
                    {
                        v += Math.Abs(lead[i]);
                    }

                    if (v > bestValue)
                    {
                        bestValue = v;
                        best = i;
                    }
                }

                peaks.Add(best);
            }
        }
        else
        {
            double[] x = wide[0];
            var positive = new List<double>(beats.Count);
            var negative = new List<double>(beats.Count);
            foreach (int b in beats)
            {
                double hi = double.NegativeInfinity, lo = double.PositiveInfinity;
                for (int i = Math.Max(0, b - half); i <= Math.Min(n - 1, b + half); i++)
                {
                    hi = Math.Max(hi, x[i]);
                    lo = Math.Min(lo, x[i]);
                }

                positive.Add(hi);
                negative.Add(-lo);
            }

            // A beat with no deflection at all in this lead (max == min over its window) cannot be located on it.
            for (int k = beats.Count - 1; k >= 0; k--)
            {
                if (positive[k] == -negative[k])
                {
                    beats.RemoveAt(k);
                    positive.RemoveAt(k);
                    negative.RemoveAt(k);
                }
            }

            double sign = Median([.. positive]) >= Median([.. negative]) ? 1 : -1; // Median sorts its argument: pass copies
            for (int k = 0; k < beats.Count; k++)
            {
                // A complex whose opposite-polarity deflection is much the larger (e.g. a premature ventricular complex
                // with an inverted QRS) is located on that deflection.
                (double dominant, double opposite) = sign > 0 ? (positive[k], negative[k]) : (negative[k], positive[k]);
                double beatSign = opposite > OppositePolarityRatio * dominant ? -sign : sign;
                int b = beats[k];
                int best = Math.Max(0, b - half);
                for (int i = best; i <= Math.Min(n - 1, b + half); i++)
                {
                    if (beatSign * x[i] > beatSign * x[best])
                    {
                        best = i;
                    }
                }

                peaks.Add(best);
            }
        }

        // Two detections that land on (nearly) the same complex keep the first. An extreme on the record's first or last
        // sample is the tail of a complex outside the record, not a peak.
        peaks.Sort();
        var result = new List<int>(peaks.Count);
        foreach (int p in peaks)
        {
            if (p == 0 || p == n - 1)
            {
                continue;
            }

            if (result.Count == 0 || p - result[^1] >= refractory)
            {
                result.Add(p);
            }
        }

        return [.. result];
    }

    private static void CheckDuration(string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            Throw(name, $"must be between {min.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} and {max.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms", $"{value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms");
        }
    }

    private static void Throw(string name, string rule, string value) =>
        throw new ArgumentOutOfRangeException("options", $"options.{name} {rule} (got {value}).");

    private static string F(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The detector's two zero-phase band-passes for one sampling rate.</summary>
    private sealed class Filters
    {
        private readonly SecondOrderSections _qrs;
        private readonly SecondOrderSections _wide;

        public Filters(RPeakDetectorOptions options, double fs)
        {
            _qrs = Butterworth.BandPass(FilterOrder, options.LowCutoffHz, options.HighCutoffHz, fs);
            _wide = Butterworth.BandPass(FilterOrder, 0.5, Math.Min(40, 0.45 * fs), fs);
            MinimumLength = Math.Max(_qrs.DefaultPadLength, _wide.DefaultPadLength);
        }

        public int MinimumLength { get; }

        public double[] QrsBand(ReadOnlySpan<float> x) => Run(_qrs, x);

        public double[] WideBand(ReadOnlySpan<float> x) => Run(_wide, x);

        private static double[] Run(SecondOrderSections sos, ReadOnlySpan<float> x)
        {
            var d = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                d[i] = x[i];
            }

            sos.FilterForwardBackward(d, d);
            return d;
        }
    }
}
