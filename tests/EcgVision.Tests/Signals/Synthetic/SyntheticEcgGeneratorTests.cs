using EcgVision.Signals;
using EcgVision.Signals.Synthetic;
using static EcgVision.Tests.Signals.Synthetic.EcgMeasurements;
using C = EcgVision.Signals.Synthetic.SyntheticCondition;

namespace EcgVision.Tests.Signals.Synthetic;

public class SyntheticEcgGeneratorTests
{
    private static readonly SyntheticEcgGenerator s_clean500 = new(new SyntheticEcgOptions { SamplingRate = 500, IncludeNoise = false });
    private static readonly SyntheticEcgGenerator s_default = new();

    private static SyntheticEcg Clean(int seed, params C[] conditions) => s_clean500.Generate(SyntheticEcgSpec.Of(conditions) with { HeartRate = conditions.Contains(C.SinusTachycardia) ? 110 : conditions.Contains(C.SinusBradycardia) ? 52 : 72 }, seed);

    /// <summary>A conducted beat away from the record edges.</summary>
    private static int MiddleBeat(SyntheticEcg e)
    {
        var candidates = Enumerable.Range(0, e.RPeaks.Count)
            .Where(i => e.BeatKinds[i] == SyntheticBeatKind.Normal && e.RPeaks[i] > 0.6 * e.Record.SamplingRate && e.RPeaks[i] < e.Record.SampleCount - (0.6 * e.Record.SamplingRate))
            .ToArray();
        return e.RPeaks[candidates[candidates.Length / 2]];
    }

    [Fact]
    public void Generate_Default_HasTwelveStandardLeadsAndMetadata()
    {
        var e = s_default.Generate(new SyntheticEcgSpec { Id = "7", PatientId = "3", Age = 61, Sex = Sex.Female, StratFold = 4 }, 1);
        e.Record.LeadNames.Should().Equal(StandardLeads.TwelveLead);
        e.Record.SamplingRate.Should().Be(100);
        e.Record.SampleCount.Should().Be(1000);
        var md = e.Record.Metadata;
        md.Id.Should().Be("7");
        md.PatientId.Should().Be("3");
        md.Age.Should().Be(61);
        md.Sex.Should().Be(Sex.Female);
        md.Properties["strat_fold"].Should().Be("4");
        md.Codes.Keys.Should().BeEquivalentTo("NORM", "SR");
        md.Superclasses.Should().Equal("NORM");
        md.Subclasses.Should().Equal("NORM");
        md.Report.Should().Contain("sinus rhythm").And.MatchRegex("normal|no definite pathology");
        e.Conditions.Should().Equal(C.Normal, C.SinusRhythm);
        e.Record.Samples.ToArray().Should().OnlyContain(v => float.IsFinite(v) && Math.Abs(v) < 10);
    }

    [Fact]
    public void Generate_SameSeed_IsIdentical_DifferentSeed_Differs()
    {
        var spec = SyntheticEcgSpec.Of(C.InferiorInfarction, C.PrematureVentricularComplex);
        var a = s_default.Generate(spec, 42);
        var b = s_default.Generate(spec, 42);
        var c = s_default.Generate(spec, 43);
        a.Record.Samples.SequenceEqual(b.Record.Samples).Should().BeTrue();
        a.Record.Metadata.Report.Should().Be(b.Record.Metadata.Report);
        a.RPeaks.Should().Equal(b.RPeaks);
        c.Record.Samples.SequenceEqual(a.Record.Samples).Should().BeFalse();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Generate_LimbLeads_ObeyEinthovenAndGoldberger(bool noise)
    {
        var g = new SyntheticEcgGenerator(new SyntheticEcgOptions { SamplingRate = 500, IncludeNoise = noise });
        var r = g.Generate(SyntheticEcgSpec.Of(C.LeftBundleBranchBlock, C.AtrialFibrillation), 5).Record;
        var i = r.GetLead("I").ToArray();
        var ii = r.GetLead("II").ToArray();
        var iii = r.GetLead("III").ToArray();
        var avr = r.GetLead("aVR").ToArray();
        var avl = r.GetLead("aVL").ToArray();
        var avf = r.GetLead("aVF").ToArray();
        for (int k = 0; k < r.SampleCount; k++)
        {
            iii[k].Should().BeApproximately(ii[k] - i[k], 1e-6f);
            avr[k].Should().BeApproximately(-(i[k] + ii[k]) / 2, 1e-6f);
            avl[k].Should().BeApproximately(i[k] - (ii[k] / 2), 1e-6f);
            avf[k].Should().BeApproximately(ii[k] - (i[k] / 2), 1e-6f);
        }
    }

    [Theory]
    [InlineData(40, "SBRAD")]
    [InlineData(55, "SBRAD")]
    [InlineData(60, "SR")]
    [InlineData(75, "SR")]
    [InlineData(100, "SR")]
    [InlineData(120, "STACH")]
    [InlineData(150, "STACH")]
    [InlineData(180, "STACH")]
    [InlineData(45, "AFIB")]
    [InlineData(110, "AFIB")]
    public void Generate_HeartRateFromRPeaks_IsWithin3BpmOfRequested(double bpm, string rhythm)
    {
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var e = s_default.Generate(SyntheticEcgSpec.Of(C.FromCode(rhythm)) with { HeartRate = bpm, HeartRateStd = 3 }, seed);
            double measured = 60.0 * (e.RPeaks.Count - 1) / ((e.RPeaks[^1] - e.RPeaks[0]) / e.Record.SamplingRate);
            measured.Should().BeApproximately(bpm, 3, "seed {0}", seed);
            e.MeanHeartRate.Should().BeApproximately(measured, 0.5, "the ground truth is the rate of the beats inside the record");
        }
    }

    [Fact]
    public void Generate_AtrialFibrillation_IsIrregularlyIrregular_SinusIsRegular()
    {
        for (int seed = 1; seed <= 10; seed++)
        {
            var af = s_default.Generate(SyntheticEcgSpec.Of(C.AtrialFibrillation), seed);
            CoefficientOfVariation(RrIntervals(af.RPeaks, 100)).Should().BeGreaterThan(0.1, "AF seed {0}", seed);
            var sr = s_default.Generate(SyntheticEcgSpec.Of(C.SinusRhythm), seed);
            CoefficientOfVariation(RrIntervals(sr.RPeaks, 100)).Should().BeLessThan(0.1, "SR seed {0}", seed);
        }
    }

    [Fact]
    public void Generate_AtrialFibrillation_HasNoPWaves()
    {
        var af = Clean(3, C.AtrialFibrillation);
        var sr = Clean(3, C.SinusRhythm);
        af.PrIntervalMs.Should().BeNull();
        sr.PrIntervalMs.Should().NotBeNull();

        // No discrete P wave: in AF the f-waves are the largest atrial activity; the P peak in II stands out far more in SR.
        static double AtrialPeak(SyntheticEcg e)
        {
            int r = MiddleBeat(e);
            var (on, _) = QrsBounds(e.Record, r);
            return Max(e.Record, "II", on - 125, on - 10) - Min(e.Record, "II", on - 125, on - 10);
        }

        AtrialPeak(sr).Should().BeGreaterThan(0.05);
        af.Record.Metadata.Report.Should().Contain("atrial fibrillation");
    }

    [Theory]
    [InlineData("CLBBB")]
    [InlineData("CRBBB")]
    public void Generate_BundleBranchBlock_QrsAtLeast120Ms(string code)
    {
        for (int seed = 1; seed <= 5; seed++)
        {
            var e = Clean(seed, C.FromCode(code));
            QrsDurationMs(e.Record, MiddleBeat(e)).Should().BeGreaterThanOrEqualTo(120, "seed {0}", seed);
            e.QrsDurationMs.Should().BeGreaterThanOrEqualTo(120);
        }
    }

    [Fact]
    public void Generate_Normal_QrsBelow110Ms()
    {
        for (int seed = 1; seed <= 5; seed++)
        {
            var e = Clean(seed);
            QrsDurationMs(e.Record, MiddleBeat(e)).Should().BeLessThan(110, "seed {0}", seed);
        }
    }

    [Fact]
    public void Generate_LeftBundleBranchBlock_DeepSInV1_BroadRInV6_DiscordantT()
    {
        var e = Clean(2, C.LeftBundleBranchBlock);
        int r = MiddleBeat(e);
        var (on, off) = QrsBounds(e.Record, r);
        Min(e.Record, "V1", on, off).Should().BeLessThan(-0.7);
        Max(e.Record, "V1", on, off).Should().BeLessThan(0.15, "no septal r in V1");
        Max(e.Record, "V6", on, off).Should().BeGreaterThan(0.5);
        int tPeak = r + (int)(0.3 * 500);
        e.Record.GetLead("V6")[tPeak].Should().BeLessThan(0, "T is discordant in V6");
        e.Record.GetLead("V1")[tPeak].Should().BeGreaterThan(0, "T is discordant in V1");
    }

    [Fact]
    public void Generate_RightBundleBranchBlock_RsrPrimeInV1_WideSInIAndV6()
    {
        var e = Clean(4, C.RightBundleBranchBlock);
        int r = MiddleBeat(e);
        var (on, off) = QrsBounds(e.Record, r);
        var v1 = e.Record.GetLead("V1");
        int late = off - (int)(0.03 * 500);
        v1[late].Should().BeGreaterThan(0.3f, "terminal R' in V1");
        Min(e.Record, "V1", on, r + 5).Should().BeLessThan(-0.1, "S before R' in V1");
        e.Record.GetLead("I")[late].Should().BeLessThan(-0.05f, "terminal S in I");
        e.Record.GetLead("V6")[late].Should().BeLessThan(-0.1f, "terminal S in V6");
    }

    [Fact]
    public void Generate_FirstDegreeAvBlock_PrAbove200Ms_NormalBelow()
    {
        for (int seed = 1; seed <= 5; seed++)
        {
            var block = Clean(seed, C.FirstDegreeAvBlock);
            PrIntervalMs(block.Record, MiddleBeat(block)).Should().BeGreaterThan(200, "1AVB seed {0}", seed);
            var normal = Clean(seed);
            PrIntervalMs(normal.Record, MiddleBeat(normal)).Should().BeInRange(110, 200, "NORM seed {0}", seed);
        }
    }

    [Fact]
    public void Generate_Lvh_MeetsSokolowLyon_NormalDoesNot()
    {
        for (int seed = 1; seed <= 5; seed++)
        {
            var lvh = Clean(seed, C.LeftVentricularHypertrophy);
            SokolowLyon(lvh.Record, MiddleBeat(lvh)).Should().BeGreaterThan(3.5, "LVH seed {0}", seed);
            var normal = Clean(seed);
            SokolowLyon(normal.Record, MiddleBeat(normal)).Should().BeLessThan(3.5, "NORM seed {0}", seed);
        }
    }

    [Fact]
    public void Generate_LowVoltage_LimbQrsBelowHalfMillivolt_NormalAbove()
    {
        for (int seed = 1; seed <= 5; seed++)
        {
            var low = Clean(seed, C.LowQrsVoltage);
            MaxLimbQrsPeakToPeak(low.Record, MiddleBeat(low)).Should().BeLessThan(0.5, "LVOLT seed {0}", seed);
            var normal = Clean(seed);
            MaxLimbQrsPeakToPeak(normal.Record, MiddleBeat(normal)).Should().BeGreaterThan(0.5, "NORM seed {0}", seed);
        }
    }

    [Fact]
    public void Generate_LeftAxisDeviation_AxisBelowMinus30_NormalAbove()
    {
        for (int seed = 1; seed <= 8; seed++)
        {
            var lad = Clean(seed, C.LeftAxisDeviation);
            FrontalAxis(lad.Record, MiddleBeat(lad)).Should().BeLessThan(-30, "LAD seed {0}", seed);
            var normal = Clean(seed);
            FrontalAxis(normal.Record, MiddleBeat(normal)).Should().BeInRange(-30, 100, "NORM seed {0}", seed);
        }
    }

    [Fact]
    public void Generate_InferiorInfarction_QWavesOrStElevationInInferiorLeads()
    {
        for (int seed = 1; seed <= 8; seed++)
        {
            var e = Clean(seed, C.InferiorInfarction);
            int r = MiddleBeat(e);
            int q = new[] { "II", "III", "aVF" }.Count(l => InitialQ(e.Record, l, r) is { DurationMs: >= 30, DepthMv: >= 0.1 });
            int st = new[] { "II", "III", "aVF" }.Count(l => StLevel(e.Record, l, r) >= 0.1);
            (q >= 2 || st >= 2).Should().BeTrue("seed {0}: {1} leads with Q, {2} with ST elevation", seed, q, st);
            if (st >= 2)
            {
                StLevel(e.Record, "aVL", r).Should().BeLessThan(0, "reciprocal depression in aVL");
            }
        }

        var normal = Clean(1);
        new[] { "II", "III", "aVF" }.Count(l => InitialQ(normal.Record, l, MiddleBeat(normal)) is { DurationMs: >= 30, DepthMv: >= 0.1 }).Should().BeLessThan(2);
    }

    [Fact]
    public void Generate_AnteroseptalInfarction_QsOrStElevationInV1ToV3()
    {
        for (int seed = 1; seed <= 8; seed++)
        {
            var e = Clean(seed, C.AnteroseptalInfarction);
            int r = MiddleBeat(e);
            int q = new[] { "V1", "V2", "V3" }.Count(l => InitialQ(e.Record, l, r) is { DepthMv: >= 0.2 });
            int st = new[] { "V1", "V2", "V3" }.Count(l => StLevel(e.Record, l, r) >= 0.1);
            (q >= 2 || st >= 2).Should().BeTrue("seed {0}: {1} leads with Q/QS, {2} with ST elevation", seed, q, st);
        }

        var normal = Clean(1);
        InitialQ(normal.Record, "V1", MiddleBeat(normal)).DepthMv.Should().Be(0, "a normal V1 starts with a septal r");
    }

    [Fact]
    public void Generate_NonSpecificStChanges_DepressesLateralSt()
    {
        for (int seed = 1; seed <= 5; seed++)
        {
            var e = Clean(seed, C.NonSpecificStChanges);
            int r = MiddleBeat(e);
            new[] { "II", "aVF", "V4", "V5", "V6" }.Count(l => StLevel(e.Record, l, r) <= -0.04).Should().BeGreaterThanOrEqualTo(3, "seed {0}", seed);
        }
    }

    [Fact]
    public void Generate_Pvc_IsEarlyWideWithCompensatoryPause()
    {
        for (int seed = 1; seed <= 5; seed++)
        {
            var e = s_clean500.Generate(SyntheticEcgSpec.Of(C.PrematureVentricularComplex) with { HeartRate = 70, HeartRateStd = 1 }, seed);
            int k = e.BeatKinds.ToList().IndexOf(SyntheticBeatKind.PrematureVentricular);
            k.Should().BeGreaterThan(0, "seed {0} has a PVC", seed);
            double rr = 60.0 / 70 * 500;
            (e.RPeaks[k] - e.RPeaks[k - 1]).Should().BeLessThan((int)(0.85 * rr), "premature");
            if (k + 1 < e.RPeaks.Count && e.BeatKinds[k + 1] == SyntheticBeatKind.Normal)
            {
                (e.RPeaks[k + 1] - e.RPeaks[k - 1]).Should().BeCloseTo((int)(2 * rr), (uint)(0.12 * rr), "fully compensatory pause");
            }

            QrsDurationMs(e.Record, e.RPeaks[k]).Should().BeGreaterThanOrEqualTo(120);
        }
    }

    [Theory]
    [InlineData("AFIB", "1AVB")]
    [InlineData("CLBBB", "CRBBB")]
    [InlineData("SBRAD", "STACH")]
    [InlineData("SR", "AFIB")]
    [InlineData("NORM", "IMI")]
    [InlineData("NORM", "LAD")]
    [InlineData("LVH", "LVOLT")]
    [InlineData("CLBBB", "ASMI")]
    public void Generate_IncompatibleConditions_ThrowsNamingBoth(string a, string b)
    {
        var act = () => s_default.Generate(SyntheticEcgSpec.Of(C.FromCode(a), C.FromCode(b)), 1);
        act.Should().Throw<ArgumentException>().WithParameterName("spec").WithMessage($"*{a}*{b}*");
        var complete = () => SyntheticEcgGenerator.CompleteConditions([C.FromCode(a), C.FromCode(b)]);
        complete.Should().Throw<ArgumentException>().WithParameterName("conditions");
    }

    [Theory]
    [InlineData("SBRAD", 80)]
    [InlineData("STACH", 90)]
    [InlineData("SR", 45)]
    [InlineData("SR", 250)]
    public void Generate_HeartRateContradictingRhythm_Throws(string rhythm, double bpm)
    {
        var act = () => s_default.Generate(SyntheticEcgSpec.Of(C.FromCode(rhythm)) with { HeartRate = bpm }, 1);
        act.Should().Throw<ArgumentException>().WithParameterName("spec").WithMessage("*HeartRate*");
    }

    public static TheoryData<SyntheticEcgSpec, string> InvalidSpecs => new()
    {
        { new SyntheticEcgSpec { Age = -1 }, "Age" },
        { new SyntheticEcgSpec { Age = 130 }, "Age" },
        { new SyntheticEcgSpec { StratFold = 0 }, "StratFold" },
        { new SyntheticEcgSpec { StratFold = 11 }, "StratFold" },
        { new SyntheticEcgSpec { HeartRateStd = -1 }, "HeartRateStd" },
        { new SyntheticEcgSpec { NoiseScale = double.NaN }, "NoiseScale" },
        { new SyntheticEcgSpec { Conditions = [null!] }, "null" },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void Generate_InvalidSpec_ThrowsNamingTheField(SyntheticEcgSpec spec, string field)
    {
        var act = () => s_default.Generate(spec, 1);
        act.Should().Throw<ArgumentException>().WithParameterName("spec").WithMessage($"*{field}*");
    }

    [Fact]
    public void Generate_NullSpec_Throws()
    {
        var act = () => s_default.Generate(null!, 1);
        act.Should().Throw<ArgumentNullException>().WithParameterName("spec");
    }

    [Fact]
    public void StaticGenerate_EqualsGeneratorWithSameOptions()
    {
        var spec = SyntheticEcgSpec.Of(C.RightBundleBranchBlock);
        SyntheticEcg.Generate(spec, 4).Record.Samples.SequenceEqual(s_default.Generate(spec, 4).Record.Samples).Should().BeTrue();
    }

    [Theory]
    [InlineData(10, 10)]
    [InlineData(100, 1)]
    [InlineData(100, 500)]
    public void Constructor_OutOfRangeOptions_Throws(double rate, double seconds)
    {
        var act = () => new SyntheticEcgGenerator(new SyntheticEcgOptions { SamplingRate = rate, DurationSeconds = seconds });
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("options");
    }

    [Fact]
    public void CompleteConditions_AddsSinusRhythmAndNorm()
    {
        SyntheticEcgGenerator.CompleteConditions([]).Should().Equal(C.Normal, C.SinusRhythm);
        SyntheticEcgGenerator.CompleteConditions([C.SinusBradycardia]).Should().Equal(C.Normal, C.SinusBradycardia);
        SyntheticEcgGenerator.CompleteConditions([C.InferiorInfarction]).Should().Equal(C.SinusRhythm, C.InferiorInfarction);
        SyntheticEcgGenerator.CompleteConditions([C.AtrialFibrillation]).Should().Equal(C.AtrialFibrillation);
        SyntheticEcgGenerator.CompleteConditions([C.LeftAxisDeviation]).Should().Equal(C.SinusRhythm, C.LeftAxisDeviation);
    }

    public static TheoryData<string, string[]> Keywords => new()
    {
        { "AFIB", ["atrial fibrillation"] },
        { "1AVB", ["av block", "atrioventricular block"] },
        { "CLBBB", ["left bundle branch block"] },
        { "CRBBB", ["right bundle branch block"] },
        { "ASMI", ["anteroseptal"] },
        { "IMI", ["inferior"] },
        { "LVH", ["lvh", "left ventricular hypertrophy"] },
        { "LVOLT", ["low"] },
        { "LAD", ["left axis deviation"] },
        { "PVC", ["ventricular"] },
        { "NST_", ["non-specific"] },
        { "SBRAD", ["sinus bradycardia"] },
        { "STACH", ["sinus tachycardia"] },
    };

    [Theory]
    [MemberData(nameof(Keywords))]
    public void Generate_Report_NamesTheConditionAndVaries(string code, string[] keywords)
    {
        var reports = Enumerable.Range(1, 30).Select(seed => s_default.Generate(SyntheticEcgSpec.Of(C.FromCode(code)), seed)).ToArray();
        foreach (var e in reports)
        {
            e.Record.Metadata.Report.Should().ContainAny(keywords);
            e.Record.Metadata.Codes.Should().ContainKey(code);
            e.Record.Metadata.Codes[code].Should().BeInRange(1, 100);
        }

        reports.Select(e => e.Record.Metadata.Report).Distinct().Count().Should().BeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public void Generate_NormalReports_VaryAcrossRecords()
    {
        var reports = Enumerable.Range(1, 50).Select(seed => s_default.Generate(new SyntheticEcgSpec(), seed).Record.Metadata.Report!).ToArray();
        reports.Distinct().Count().Should().BeGreaterThanOrEqualTo(3);
        reports.Should().OnlyContain(r => r.Contains("sinus rhythm") && (r.Contains("normal") || r.Contains("no definite pathology")));
        reports.Should().OnlyContain(r => !r.Contains("infarction") && !r.Contains("block") && !r.Contains("fibrillation"));
    }

    [Fact]
    public void Generate_SuperclassesAndSubclasses_FollowDiagnosticCodes()
    {
        var e = s_default.Generate(SyntheticEcgSpec.Of(C.InferiorInfarction, C.RightBundleBranchBlock, C.LeftAxisDeviation), 9);
        e.Record.Metadata.Superclasses.Should().Equal("MI", "CD");
        e.Record.Metadata.Subclasses.Should().BeEquivalentTo("IMI", "CRBBB");
        e.Record.Metadata.Codes.Keys.Should().BeEquivalentTo("SR", "LAD", "CRBBB", "IMI");
    }

    [Theory]
    [InlineData(30)]
    [InlineData(70)]
    public void Generate_ShortRecord_HasFiniteRateAndItsPvc(double bpm)
    {
        var g = new SyntheticEcgGenerator(new SyntheticEcgOptions { DurationSeconds = 2 });
        var e = g.Generate(SyntheticEcgSpec.Of(SyntheticCondition.SinusBradycardia, SyntheticCondition.PrematureVentricularComplex) with { HeartRate = Math.Min(bpm, 59) }, 2);
        double.IsFinite(e.MeanHeartRate).Should().BeTrue();
        e.Record.Metadata.Report.Should().NotContain("NaN");
        e.Record.SampleCount.Should().Be(200);
        if (bpm > 50)
        {
            e.BeatKinds.Should().Contain(SyntheticBeatKind.PrematureVentricular);
        }
    }

    [Fact]
    public void Generate_At500Hz_HasFiveThousandSamples_AndSameRhythm()
    {
        var e = new SyntheticEcgGenerator(new SyntheticEcgOptions { SamplingRate = 500 }).Generate(new SyntheticEcgSpec { HeartRate = 70 }, 3);
        e.Record.SampleCount.Should().Be(5000);
        e.RPeaks.Count.Should().BeInRange(11, 13);
    }
}

public class SyntheticReportConsistencyTests
{
    private static readonly SyntheticEcgGenerator s_clean = new(new SyntheticEcgOptions { SamplingRate = 500, IncludeNoise = false });

    [Theory]
    [InlineData("IMI", "t waves are inverted in ii, iii, avf", new[] { "II", "III", "aVF" })]
    [InlineData("ASMI", "t waves are inverted in v1-4", new[] { "V1", "V2", "V3", "V4" })]
    [InlineData("LVH", "t waves are inverted in v5,6", new[] { "V5", "V6" })]
    [InlineData("CRBBB", "v1,2", new[] { "V1", "V2" })]
    public void Generate_ReportedTInversion_IsInTheSignal(string code, string phrase, string[] leads)
    {
        int found = 0;
        for (int seed = 1; seed <= 80 && found < 4; seed++)
        {
            var e = s_clean.Generate(SyntheticEcgSpec.Of(SyntheticCondition.FromCode(code)) with { HeartRate = 70 }, seed);
            if (!e.Record.Metadata.Report!.Contains(phrase))
            {
                continue;
            }

            found++;
            int r = e.RPeaks[e.RPeaks.Count / 2];
            foreach (string lead in leads)
            {
                double t = EcgMeasurements.Min(e.Record, lead, r + 100, r + 170); // 200–340 ms after R: the T wave at 70 bpm
                t.Should().BeLessThan(-0.05, "{0} seed {1}: T in {2}", code, seed, lead);
            }
        }

        found.Should().BeGreaterThan(0, "the phrase occurs for some seed");
    }

    [Fact]
    public void Generate_ReportedStElevation_IsInTheSignal()
    {
        int found = 0;
        for (int seed = 1; seed <= 40 && found < 4; seed++)
        {
            var e = s_clean.Generate(SyntheticEcgSpec.Of(SyntheticCondition.InferiorInfarction) with { HeartRate = 70 }, seed);
            if (!e.Record.Metadata.Report!.Contains("st elevation"))
            {
                continue;
            }

            found++;
            int r = e.RPeaks[e.RPeaks.Count / 2];
            new[] { "II", "III", "aVF" }.Should().OnlyContain(l => EcgMeasurements.StLevel(e.Record, l, r) > 0.1);
        }

        found.Should().BeGreaterThan(0);
    }

    [Theory]
    [InlineData("NORM")]
    [InlineData("CRBBB")]
    [InlineData("CLBBB")]
    [InlineData("PVC")]
    [InlineData("IMI")]
    public void Generate_RPeaks_AreAtTheLargestLeadIIQrsDeflection(string code)
    {
        for (int seed = 1; seed <= 4; seed++)
        {
            var e = s_clean.Generate(SyntheticEcgSpec.Of(SyntheticCondition.FromCode(code)) with { HeartRate = 70 }, seed);
            var ii = e.Record.GetLead("II");
            foreach (int r in e.RPeaks.Where(r => r >= 40 && r < e.Record.SampleCount - 40))
            {
                int peak = r - 30; // ±60 ms at 500 Hz: the QRS, clear of P and T at 70 bpm
                for (int i = r - 30; i <= r + 30; i++)
                {
                    if (Math.Abs(ii[i]) > Math.Abs(ii[peak]))
                    {
                        peak = i;
                    }
                }

                peak.Should().BeCloseTo(r, 2, "{0} seed {1}: the R peak is the lead-II QRS's largest deflection (±4 ms)", code, seed);
            }
        }
    }
}
