using EcgVision.Signals.Synthetic;

namespace EcgVision.Tests.Signals.Synthetic;

public class SyntheticEcgCorpusTests
{
    private static readonly Lazy<IReadOnlyList<SyntheticEcg>> s_corpus = new(() => SyntheticEcgCorpus.Generate(400, 11));

    [Fact]
    public void Generate_SameSeedAndOptions_IsIdenticalByteForByte()
    {
        var a = SyntheticEcgCorpus.Generate(60, 5);
        var b = SyntheticEcgCorpus.Generate(60, 5);
        for (int i = 0; i < a.Count; i++)
        {
            a[i].Record.Samples.SequenceEqual(b[i].Record.Samples).Should().BeTrue();
            a[i].Record.Metadata.Should().BeEquivalentTo(b[i].Record.Metadata);
        }
    }

    [Fact]
    public void Generate_Parallel_EqualsSequential()
    {
        var a = SyntheticEcgCorpus.Generate(60, 8);
        var b = SyntheticEcgCorpus.Generate(60, 8, new SyntheticCorpusOptions { MaxDegreeOfParallelism = 4 });
        for (int i = 0; i < a.Count; i++)
        {
            a[i].Record.Samples.SequenceEqual(b[i].Record.Samples).Should().BeTrue();
            a[i].Record.Metadata.Report.Should().Be(b[i].Record.Metadata.Report);
        }
    }

    [Fact]
    public void Generate_DifferentSeed_Differs()
    {
        var a = SyntheticEcgCorpus.Generate(20, 1);
        var b = SyntheticEcgCorpus.Generate(20, 2);
        a.Select(e => e.Record.Metadata.Report).Should().NotEqual(b.Select(e => e.Record.Metadata.Report));
    }

    [Fact]
    public void Generate_IdsRunFromOneToCount()
    {
        s_corpus.Value.Select(e => e.Record.Metadata.Id).Should().Equal(Enumerable.Range(1, 400).Select(i => i.ToString()));
    }

    [Fact]
    public void Generate_StratFold_IsPerPatientAndCoversAllFolds()
    {
        var corpus = s_corpus.Value;
        var byPatient = corpus.GroupBy(e => e.Record.Metadata.PatientId).ToArray();
        byPatient.Should().OnlyContain(g => g.Select(e => e.Record.Metadata.Properties["strat_fold"]).Distinct().Count() == 1);
        byPatient.Count(g => g.Count() == 2).Should().BeGreaterThan(20, "some patients have two records");
        byPatient.Should().OnlyContain(g => g.Count() <= 2);
        var folds = corpus.Select(e => int.Parse(e.Record.Metadata.Properties["strat_fold"])).ToArray();
        folds.Distinct().Order().Should().Equal(Enumerable.Range(1, 10));
        folds.GroupBy(f => f).Should().OnlyContain(g => g.Count() > 20);
    }

    [Fact]
    public void Generate_SecondRecordOfPatient_KeepsFindingsAndSex()
    {
        foreach (var g in s_corpus.Value.GroupBy(e => e.Record.Metadata.PatientId).Where(g => g.Count() == 2))
        {
            var (a, b) = (g.First(), g.Last());
            b.Conditions.Should().Equal(a.Conditions);
            b.Record.Metadata.Sex.Should().Be(a.Record.Metadata.Sex);
        }
    }

    [Fact]
    public void Generate_HasPlausibleMix()
    {
        var corpus = s_corpus.Value;
        double normal = corpus.Count(e => e.Record.Metadata.Superclasses.SequenceEqual(["NORM"])) / (double)corpus.Count;
        normal.Should().BeInRange(0.28, 0.5);
        foreach (var c in SyntheticCondition.All)
        {
            corpus.Count(e => e.Conditions.Contains(c)).Should().BeGreaterThan(5, "{0} occurs", c.Code);
        }

        corpus.Count(e => e.Conditions.Count(c => c.Code is not ("SR" or "NORM")) >= 2).Should().BeGreaterThan(40, "some records combine findings");
        corpus.Select(e => e.Record.Metadata.Age!.Value).Should().OnlyContain(a => a >= 18 && a <= 100);
        corpus.Select(e => e.Record.Metadata.Sex).Distinct().Should().HaveCount(2);
    }

    [Fact]
    public void Generate_CodesAndSuperclasses_AreConsistent()
    {
        foreach (var e in s_corpus.Value)
        {
            var md = e.Record.Metadata;
            md.Codes.Keys.Should().BeEquivalentTo(e.Conditions.Select(c => c.Code));
            var expected = e.Conditions.Where(c => c.Kind == SyntheticConditionKind.Diagnostic).Select(c => c.Superclass).Distinct();
            md.Superclasses.Should().BeEquivalentTo(expected);
            md.Subclasses.Should().BeEquivalentTo(e.Conditions.Where(c => c.Kind == SyntheticConditionKind.Diagnostic).Select(c => c.Subclass).Distinct());
            md.Codes.Values.Should().OnlyContain(v => v > 0 && v <= 100);
            md.Report.Should().NotBeNullOrWhiteSpace().And.Be(md.Report!.ToLowerInvariant());
        }
    }

    [Fact]
    public void Generate_ReportsAreDiverse()
    {
        var reports = s_corpus.Value.Select(e => e.Record.Metadata.Report).ToArray();
        reports.Distinct().Count().Should().BeGreaterThan(200);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2_000_000)]
    public void Generate_BadCount_Throws(int count)
    {
        var act = () => SyntheticEcgCorpus.Generate(count, 1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("count").WithMessage("*count*");
    }

    [Fact]
    public void Generate_BadOptions_Throw()
    {
        var act = () => SyntheticEcgCorpus.Generate(1, 1, new SyntheticCorpusOptions { NormalFraction = 1.5 });
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*NormalFraction*1.5*");
        var par = () => SyntheticEcgCorpus.Generate(1, 1, new SyntheticCorpusOptions { MaxDegreeOfParallelism = 0 });
        par.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*MaxDegreeOfParallelism*");
    }
}

public class SyntheticEcgCorpusGroundTruthTests
{
    [Fact]
    public void Generate_DesignValues_MatchTheLabels()
    {
        var corpus = SyntheticEcgCorpus.Generate(300, 23);
        foreach (var e in corpus)
        {
            bool bbb = e.Has("CLBBB") || e.Has("CRBBB");
            (e.QrsDurationMs >= 120).Should().Be(bbb, "QRS {0:F0} ms for {1}", e.QrsDurationMs, e);
            (e.FrontalAxisDegrees < -30).Should().Be(e.Has("LAD"), "axis {0:F0} for {1}", e.FrontalAxisDegrees, e);
            if (e.Has("1AVB"))
            {
                e.PrIntervalMs.Should().BeGreaterThan(200);
            }
            else if (!e.Has("AFIB"))
            {
                e.PrIntervalMs.Should().BeLessThan(200);
            }

            if (e.Has("SBRAD"))
            {
                e.MeanHeartRate.Should().BeLessThan(60);
            }
            else if (e.Has("STACH"))
            {
                e.MeanHeartRate.Should().BeGreaterThan(100);
            }
            else if (e.Has("SR"))
            {
                e.MeanHeartRate.Should().BeInRange(60, 100);
            }

            e.BeatKinds.Contains(SyntheticBeatKind.PrematureVentricular).Should().Be(e.Has("PVC"), "{0}", e);
        }
    }
}
