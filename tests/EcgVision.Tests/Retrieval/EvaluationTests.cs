using EcgVision.Retrieval;
using EcgVision.Retrieval.Evaluation;
using EcgVision.Signals;

namespace EcgVision.Tests.Retrieval;

public class CrossModalRetrievalTests
{
    // Row i = image i against texts; ties break towards the lower index (row 2: text 0 ties the target and comes first).
    private static readonly float[] s_logits =
    [
        0.9f, 0.1f, 0.9f,
        0.5f, 0.4f, 0.6f,
        0.3f, 0.7f, 0.3f,
    ];

    [Fact]
    public void ComputeFromLogits_HandComputedCase_MatchesOpenClipDefinitions()
    {
        var m = CrossModalRetrieval.ComputeFromLogits(s_logits, 3);
        // image→text ranks (0-based): [0, 2, 2]
        m.ImageToText.Should().Be(new DirectionalRetrievalMetrics(1 / 3.0, 1, 1, (4 / 3.0) + 1, 3));
        // text→image ranks: [0, 1, 2]
        m.TextToImage.Should().Be(new DirectionalRetrievalMetrics(1 / 3.0, 1, 1, 2, 2));
        var d = m.ToOpenClipDictionary();
        d.Should().HaveCount(10);
        d["image_to_text_median_rank"].Should().Be(3);
        d["text_to_image_R@1"].Should().BeApproximately(1 / 3.0, 1e-12);
    }

    [Fact]
    public void Summarize_EvenCount_FloorsTheMedianLikeOpenClip()
    {
        var m = CrossModalRetrieval.Summarize([0, 1, 6, 12]);
        m.Should().Be(new DirectionalRetrievalMetrics(0.25, 0.5, 0.75, 5.75, 4));
    }

    [Fact]
    public void Compute_FromFeatures_EqualsComputeFromLogits()
    {
        const int n = 30, d = 12;
        float[] img = RetrievalTestData.Gaussian(n, d, 1), txt = RetrievalTestData.Gaussian(n, d, 2);
        for (int i = 0; i < n * d; i++)
        {
            txt[i] += img[i]; // correlated pairs so the ranks are not all random
        }

        var logits = new float[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                logits[(i * n) + j] = System.Numerics.Tensors.TensorPrimitives.Dot(img.AsSpan(i * d, d), txt.AsSpan(j * d, d));
            }
        }

        var expected = CrossModalRetrieval.ComputeFromLogits(logits, n);
        CrossModalRetrieval.Compute(img, txt, d).Should().Be(expected);
        expected.ImageToText.RecallAt10.Should().BeGreaterThan(0.5);
    }

    [Fact]
    public void Compute_MismatchedShapes_Throw()
    {
        FluentActions.Invoking(() => CrossModalRetrieval.Compute(new float[6], new float[4], 2)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => CrossModalRetrieval.ComputeFromLogits(new float[5], 2)).Should().Throw<ArgumentException>().WithParameterName("logitsPerImage");
    }
}

public class LabelRetrievalTests
{
    private static readonly IReadOnlyList<IReadOnlyCollection<string>> s_retrieved = [["NORM"], ["MI", "STTC"], ["MI"], ["CD"]];

    [Fact]
    public void Score_SharedLabel_HandComputed()
    {
        // rel = [0, 1, 1]: P@3 = 2/3, AP@3 = (1/2 + 2/3) / 2
        var (p, ap) = LabelRetrieval.Score(["MI"], s_retrieved, 3);
        p.Should().BeApproximately(2 / 3.0, 1e-12);
        ap.Should().BeApproximately(7 / 12.0, 1e-12);
    }

    [Fact]
    public void Score_ExactSet_HandComputed()
    {
        var (p, ap) = LabelRetrieval.Score(["MI"], s_retrieved, 3, LabelMatch.ExactSet);
        p.Should().BeApproximately(1 / 3.0, 1e-12);
        ap.Should().BeApproximately(1 / 3.0, 1e-12);
        LabelRetrieval.Score(["STTC", "MI"], s_retrieved, 2, LabelMatch.ExactSet).AveragePrecisionAtK.Should().Be(0.5);
    }

    [Fact]
    public void Compute_ShortListsAndUnlabelledQueries_AveragesCorrectly()
    {
        var m = LabelRetrieval.Compute([["MI"], [], ["HYP"]], [s_retrieved, s_retrieved, s_retrieved], 5);
        // Query 1 has no label and is skipped; query 0: P@5 = 2/5, AP = 7/12; query 2: nothing relevant.
        m.QueryCount.Should().Be(2);
        m.PrecisionAtK.Should().BeApproximately(0.2, 1e-12);
        m.MeanAveragePrecisionAtK.Should().BeApproximately(7 / 24.0, 1e-12);
        FluentActions.Invoking(() => LabelRetrieval.Compute([["MI"]], [], 5)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => LabelRetrieval.Score(["MI"], s_retrieved, 0)).Should().Throw<ArgumentOutOfRangeException>();
    }
}

public class ReportOverlapTests
{
    [Fact]
    public void Bleu_HandComputed()
    {
        string[] c = ReportOverlap.Tokenize("The cat sat on the mat today."), r = ReportOverlap.Tokenize("the cat sat on the mat");
        ReportOverlap.Bleu(c, r, 1).Should().BeApproximately(6 / 7.0, 1e-12);
        ReportOverlap.Bleu(c, r, 4).Should().BeApproximately(Math.Pow(3 / 7.0, 0.25), 1e-12);
    }

    [Fact]
    public void Bleu_ShortCandidate_AppliesBrevityPenalty()
    {
        string[] r = ReportOverlap.Tokenize("the cat sat on the mat");
        ReportOverlap.Bleu(["the", "cat"], r, 1).Should().BeApproximately(Math.Exp(-2), 1e-12);
        ReportOverlap.Bleu(["the", "cat"], r, 4).Should().Be(0);
        ReportOverlap.Bleu([], r, 1).Should().Be(0);
    }

    [Fact]
    public void RougeL_HandComputed()
    {
        ReportOverlap.RougeL(ReportOverlap.Tokenize("the cat sat on the mat"), ReportOverlap.Tokenize("the cat is on the mat")).Should().BeApproximately(5 / 6.0, 1e-12);
        // LCS 2 ("a c"): P = 2/3, R = 2/4 → F = 4/7
        ReportOverlap.RougeL(["a", "b", "c"], ["a", "x", "c", "y"]).Should().BeApproximately(4 / 7.0, 1e-12);
        ReportOverlap.RougeL(["a"], ["b"]).Should().Be(0);
    }

    [Fact]
    public void Evaluate_AveragesOverPairs()
    {
        var m = ReportOverlap.Evaluate(["sinus rhythm, normal ECG", "left bundle branch block"], ["sinus rhythm. normal ecg", "atrial fibrillation"]);
        m.Count.Should().Be(2);
        m.Bleu1.Should().BeApproximately(0.5, 1e-12);
        m.RougeL.Should().BeApproximately(0.5, 1e-12);
        m.Bleu4.Should().BeApproximately(0.5, 1e-12);
        FluentActions.Invoking(() => ReportOverlap.Evaluate(["a"], [])).Should().Throw<ArgumentException>();
    }
}

public class ClassificationMetricsTests
{
    [Fact]
    public void Auroc_MatchesSklearnEquivalentValues()
    {
        // Expected values from the pairwise definition and scipy.stats.mannwhitneyu (U / (P·N)), run with /usr/bin/python3.
        ClassificationMetrics.Auroc([0.1f, 0.4f, 0.35f, 0.8f], [false, false, true, true]).Should().BeApproximately(0.75, 1e-12);
        ClassificationMetrics.Auroc([0.5f, 0.5f, 0.5f, 0.2f, 0.9f, 0.5f], [true, false, true, false, true, false]).Should().BeApproximately(7 / 9.0, 1e-12);
        ClassificationMetrics.Auroc([1f, 2f], [true, true]).Should().Be(double.NaN);
    }

    [Fact]
    public void MacroAuroc_MatchesPerClassScipyValues()
    {
        float[] s =
        [
            0.6f, 0.3f, 0.0f, 0.0f, 0.8f, 0.9f, 0.6f, 0.7f, 0.5f, 0.9f, 0.8f, 0.0f, 0.9f, 0.0f, 0.7f, 0.2f, 0.9f, 0.5f,
            0.3f, 0.4f, 0.0f, 0.1f, 0.7f, 0.6f, 0.6f, 0.4f, 1.0f, 1.0f, 0.7f, 0.7f, 0.7f, 0.4f, 0.1f, 0.7f, 0.5f, 0.3f,
        ];
        int[] l =
        [
            0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0,
            0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1,
        ];
        var m = ClassificationMetrics.MacroAuroc(s, l.Select(x => x == 1).ToArray(), 3);
        m.PerClass[0].Should().BeApproximately(0.640625, 1e-12);
        m.PerClass[1].Should().BeApproximately(0.4027777777777778, 1e-12);
        m.PerClass[2].Should().BeApproximately(0.37142857142857144, 1e-12);
        m.Macro.Should().BeApproximately((0.640625 + 0.4027777777777778 + 0.37142857142857144) / 3, 1e-12);
        m.ClassesUsed.Should().Be(3);
    }

    [Fact]
    public void MacroAuroc_ClassWithoutPositives_IsNaNAndSkipped()
    {
        var m = ClassificationMetrics.MacroAuroc([0.9f, 0.1f, 0.2f, 0.3f], [true, false, false, false], 2);
        m.PerClass[0].Should().Be(1);
        m.PerClass[1].Should().Be(double.NaN);
        m.Macro.Should().Be(1);
        m.ClassesUsed.Should().Be(1);
    }

    [Fact]
    public void Auroc_BadInput_Throws()
    {
        FluentActions.Invoking(() => ClassificationMetrics.Auroc([float.NaN, 1f], [true, false])).Should().Throw<ArgumentException>().WithParameterName("scores");
        FluentActions.Invoking(() => ClassificationMetrics.Auroc([1f], [true, false])).Should().Throw<ArgumentException>().WithParameterName("labels");
        FluentActions.Invoking(() => ClassificationMetrics.MacroAuroc([1f, 2f, 3f], [true, false, true], 2)).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void ZeroShotScores_AreCosineSimilarities()
    {
        float[] scores = ClassificationMetrics.ZeroShotScores([3, 4, 0, 2], [1, 0, 0, 5], 2);
        scores.Should().Equal(0.6f, 0.8f, 0f, 1f);
        FluentActions.Invoking(() => ClassificationMetrics.ZeroShotScores([0, 0], [1, 0], 2)).Should().Throw<ArgumentException>().WithParameterName("embeddings");
    }
}

public class RawSignalEmbeddingTests
{
    private static EcgRecord Record(Func<int, int, float> value, int leads = 2, int samples = 1000) =>
        EcgRecord.FromLeads(Enumerable.Range(0, leads).Select(l => Enumerable.Range(0, samples).Select(i => value(l, i)).ToArray()).ToArray(), 100, new[] { "I", "II", "III" }[..leads]);

    [Fact]
    public void Embed_BoxFiltersAndStandardisesEachLead()
    {
        var e = new RawSignalEmbedding(new() { SamplesPerLead = 4, StandardizeLeads = false });
        float[] v = e.Embed(Record((l, i) => l == 0 ? i : 7, samples: 8));
        // Lead 0 bins average pairs: (0+1)/2, (2+3)/2, ...; lead 1 is constant.
        v.Should().Equal(0.5f, 2.5f, 4.5f, 6.5f, 7f, 7f, 7f, 7f);

        float[] z = new RawSignalEmbedding(new() { SamplesPerLead = 4 }).Embed(Record((l, i) => l == 0 ? i : 7, samples: 8));
        z[..4].Average().Should().BeApproximately(0f, 1e-6f);
        z[..4].Select(x => x * x).Average().Should().BeApproximately(1f, 1e-5f);
        z[4..].Should().OnlyContain(x => x == 0);
    }

    [Fact]
    public void BuildIndex_RetrievesTheRecordsOwnShapeFirst()
    {
        var e = new RawSignalEmbedding(new() { SamplesPerLead = 50 });
        var records = Enumerable.Range(1, 10).Select(f => (Key: f, Record: Record((l, i) => MathF.Sin(f * i * 0.01f + l)))).ToArray();
        using var index = e.BuildIndex(records);
        index.Count.Should().Be(10);
        index.Dimension.Should().Be(100);
        var query = Record((l, i) => 3 * MathF.Sin(4 * i * 0.01f + l) + 0.5f); // same shape as key 4, other gain and offset
        index.Search(e.Embed(query), 1)[0].Key.Should().Be(4);
    }

    [Fact]
    public void BuildIndex_MixedLeadCounts_Throws()
    {
        var e = new RawSignalEmbedding();
        FluentActions.Invoking(() => e.BuildIndex([("a", Record((l, i) => i)), ("b", Record((l, i) => i, leads: 3))]))
            .Should().Throw<ArgumentException>().WithMessage("*'b'*3 leads*2*");
        FluentActions.Invoking(() => e.BuildIndex(Array.Empty<(string, EcgRecord)>())).Should().Throw<ArgumentException>().WithParameterName("records");
        FluentActions.Invoking(() => e.BuildIndex([("flat", Record((l, i) => 1f))])).Should().Throw<ArgumentException>().WithMessage("*'flat'*all zeros*");
        FluentActions.Invoking(() => new RawSignalEmbedding(new() { SamplesPerLead = 0 })).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => e.Embed(Record((l, i) => i, samples: 50))).Should().Throw<ArgumentException>().WithMessage("*50 samples*");
    }
}

public class ReportDrafterTests
{
    [Fact]
    public void Draft_RanksStatementsBySimilarityWeightedVotes()
    {
        var draft = new ReportDrafter(new() { MinConfidence = 0 }).Draft(
        [
            new(0.5f, ["MI"], "old inferior infarction"),
            new(0.9f, ["NORM", "SR"], "sinus rhythm. normal ecg."),
            new(0.6f, ["SR", "MI"], null),
        ]);

        // Weights 0.9, 0.6, 0.5 (total 2.0): SR 1.5, NORM 0.9, MI 1.1.
        draft.Statements.Select(s => s.Code).Should().Equal("SR", "MI", "NORM");
        draft.Statements.Select(s => s.Confidence).Should().Equal([0.75, 0.55, 0.45], (a, b) => Math.Abs(a - b) < 1e-6);
        draft.Statements[0].Support.Should().Be(2);
        draft.ClosestReport.Should().Be("sinus rhythm. normal ecg.");
        draft.ClosestScore.Should().Be(0.9f);
        draft.Disclaimer.Should().Be("Decision support only: draft generated from similar past cases; must be reviewed by a qualified clinician.");
        draft.ToString().Should().Contain("SR").And.EndWith(ReportDrafter.Disclaimer);
    }

    [Fact]
    public void Draft_AppliesThresholdLimitAndDescriptions()
    {
        var drafter = new ReportDrafter(new()
        {
            MaxStatements = 1,
            MinConfidence = 0.5,
            CodeDescriptions = new Dictionary<string, string> { ["IMI"] = "inferior myocardial infarction" },
        });
        var draft = drafter.Draft([new(0.8f, ["IMI", "imi"], "a"), new(0.2f, ["NORM"], "b"), new(-0.4f, ["LBBB"], null)]);
        var statement = draft.Statements.Should().ContainSingle().Which;
        (statement.Code, statement.Text, statement.Support).Should().Be(("IMI", "inferior myocardial infarction", 1));
        statement.Confidence.Should().BeApproximately(0.8, 1e-6);
    }

    [Fact]
    public void Draft_AllNonPositiveScores_FallsBackToEqualWeights()
    {
        var draft = new ReportDrafter(new() { MinConfidence = 0 }).Draft([new(-0.1f, ["A"], null), new(-0.5f, ["B", "A"], null)]);
        draft.Statements.Select(s => (s.Code, s.Confidence)).Should().Equal(("A", 1.0), ("B", 0.5));
        draft.ClosestReport.Should().BeNull();
        draft.ClosestScore.Should().Be(float.NaN);
    }

    [Fact]
    public void Draft_FromHitsAndMetadata()
    {
        var meta = new Dictionary<long, CaseMetadata> { [1] = new() { Codes = ["AFIB"], Report = "atrial fibrillation" } };
        var draft = new ReportDrafter().Draft<long>([new(1, 0.7f), new(2, 0.6f)], meta);
        draft.Statements.Should().ContainSingle().Which.Code.Should().Be("AFIB");
        draft.ClosestReport.Should().Be("atrial fibrillation");
    }

    [Fact]
    public void Draft_BadInput_Throws()
    {
        FluentActions.Invoking(() => new ReportDrafter().Draft([])).Should().Throw<ArgumentException>().WithParameterName("neighbours");
        FluentActions.Invoking(() => new ReportDrafter().Draft([new(float.NaN, [], null)])).Should().Throw<ArgumentException>().WithMessage("*NaN*");
        FluentActions.Invoking(() => new ReportDrafter(new() { MaxStatements = 0 })).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new ReportDrafter(new() { MinConfidence = 2 })).Should().Throw<ArgumentOutOfRangeException>();
    }
}
