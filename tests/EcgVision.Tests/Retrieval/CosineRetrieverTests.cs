using EcgVision.Retrieval;

namespace EcgVision.Tests.Retrieval;

public class CosineRetrieverTests
{
    public static TheoryData<int, RetrieverStorage> DimensionsAndStorages()
    {
        var data = new TheoryData<int, RetrieverStorage>();
        foreach (int d in new[] { 1, 3, 7, 16, 17, 33, 255, 256, 257 })
        {
            data.Add(d, RetrieverStorage.Float32);
        }

        return data;
    }

    private static CosineRetriever<long> Build(float[] data, int d, RetrieverStorage storage = RetrieverStorage.Float32)
    {
        var r = new CosineRetriever<long>(d, new() { Storage = storage, InitialCapacity = 8 });
        int n = data.Length / d;
        r.AddRange(Enumerable.Range(0, n).Select(i => (long)i).ToArray(), data);
        return r;
    }

    [Theory]
    [MemberData(nameof(DimensionsAndStorages))]
    public void Search_RandomData_MatchesDoublePrecisionBruteForce(int d, RetrieverStorage storage)
    {
        const int n = 1003;
        float[] data = RetrievalTestData.Gaussian(n, d, seed: d);
        using var r = Build(data, d, storage);
        float[] queries = RetrievalTestData.Gaussian(5, d, seed: 1000 + d);
        int top = d == 1 ? 3 : 10;
        for (int q = 0; q < 5; q++)
        {
            ReadOnlySpan<float> query = queries.AsSpan(q * d, d);
            var expected = RetrievalTestData.BruteForce(data, d, query, top);
            var hits = r.Search(query, top);
            hits.Should().HaveCount(top);
            for (int i = 0; i < top; i++)
            {
                // Scores agree with double precision; a key may differ only where the reference has a near-tie.
                hits[i].Score.Should().BeApproximately((float)expected[i].Score, 2e-5f);
                double own = RetrievalTestData.Cosine(data.AsSpan((int)hits[i].Key * d, d), query);
                own.Should().BeApproximately(expected[i].Score, 2e-5);
                if (d > 1 && (i == 0 || expected[i - 1].Score - expected[i].Score > 1e-4) && (i == top - 1 || expected[i].Score - expected[i + 1].Score > 1e-4))
                {
                    hits[i].Key.Should().Be(expected[i].Index);
                }
            }
        }
    }

    [Fact]
    public void Search_ReturnsTopKByDescendingScore()
    {
        using var r = new CosineRetriever<string>(2);
        r.Add("east", [1, 0]);
        r.Add("north", [0, 3]);
        r.Add("north-east", [2, 2]);
        r.Add("west", [-5, 0]);
        var hits = r.Search([1, 0.1f], 3);
        hits.Select(h => h.Key).Should().Equal("east", "north-east", "north");
        hits[0].Score.Should().BeApproximately(1f / MathF.Sqrt(1.01f), 1e-6f);
        r.Search([1, 0], 4)[^1].Should().Be(new RetrievalHit<string>("west", -1f));
    }

    [Fact]
    public void Search_Ties_LowerRowIndexFirst()
    {
        using var r = new CosineRetriever<int>(3);
        for (int i = 0; i < 40; i++)
        {
            r.Add(100 - i, i % 2 == 0 ? [1, 2, 3] : [3, -1, 0]);
        }

        var hits = r.Search([1, 2, 3], 5);
        hits.Select(h => h.Key).Should().Equal(100, 98, 96, 94, 92);
        var batch = r.SearchBatch([1, 2, 3, 1, 2, 3], 5);
        batch[1].Should().Equal(hits);
    }

    [Theory]
    [InlineData(RetrieverStorage.Float32, false)]
    [InlineData(RetrieverStorage.Float32, true)]
    [InlineData(RetrieverStorage.Float16, true)]
    [InlineData(RetrieverStorage.Int8, false)]
    public void SearchBatch_EqualsSearchPerQuery(RetrieverStorage storage, bool parallel)
    {
        foreach (int d in new[] { 5, 64, 130 })
        {
            float[] data = RetrievalTestData.Gaussian(2100, d, seed: 7 * d);
            using var r = Build(data, d, storage);
            r.Remove(3);
            r.Remove(500);
            float[] queries = RetrievalTestData.Gaussian(37, d, seed: 3 * d);
            var batch = r.SearchBatch(queries, 7, parallel);
            batch.Should().HaveCount(37);
            for (int q = 0; q < 37; q++)
            {
                var single = r.Search(queries.AsSpan(q * d, d), 7);
                batch[q].Select(h => h.Key).Should().Equal(single.Select(h => h.Key));
                for (int i = 0; i < 7; i++)
                {
                    batch[q][i].Score.Should().BeApproximately(single[i].Score, 1e-5f);
                }
            }
        }
    }

    [Fact]
    public void Search_WithFilters_ReturnsExactTopKOfAllowedKeys()
    {
        const int d = 24;
        float[] data = RetrievalTestData.Gaussian(500, d, seed: 5);
        using var r = Build(data, d);
        float[] query = RetrievalTestData.Gaussian(1, d, seed: 6);
        var all = r.Search(query, 500);

        r.Search(query, 5, RetrievalFilter<long>.Where(k => k % 2 == 0)).Should().Equal(all.Where(h => h.Key % 2 == 0).Take(5));
        r.Search(query, 5, RetrievalFilter<long>.Exclude([all[0].Key, all[2].Key])).Should().Equal(all.Where((_, i) => i != 0 && i != 2).Take(5));
        r.Search(query, 10, RetrievalFilter<long>.AllowOnly([7, 9, 11])).Select(h => h.Key).Should().BeEquivalentTo(new long[] { 7, 9, 11 });
        r.SearchBatch(query, 5, filter: RetrievalFilter<long>.Where(k => k < 100))[0].Select(h => h.Key)
            .Should().Equal(all.Where(h => h.Key < 100).Take(5).Select(h => h.Key));
    }

    [Fact]
    public void RemoveAndUpdate_KeepResultsExact()
    {
        const int d = 19;
        float[] data = RetrievalTestData.Gaussian(400, d, seed: 11);
        using var r = Build(data, d);
        var live = Enumerable.Range(0, 400).ToDictionary(i => (long)i, i => data.AsSpan(i * d, d).ToArray());
        var rng = new Random(3);
        for (int step = 0; step < 300; step++)
        {
            long key = rng.Next(400);
            if (live.ContainsKey(key) && rng.Next(3) == 0)
            {
                float[] v = RetrievalTestData.Gaussian(1, d + 1, seed: step)[..d];
                r.Update(key, v);
                live[key] = v;
            }
            else
            {
                r.Remove(key).Should().Be(live.Remove(key));
            }
        }

        r.Count.Should().Be(live.Count);
        float[] query = RetrievalTestData.Gaussian(1, d + 1, seed: 99)[..d];
        var expected = live.Select(kv => (kv.Key, Score: RetrievalTestData.Cosine(kv.Value, query))).OrderByDescending(x => x.Score).Take(8).ToArray();
        var hits = r.Search(query, 8);
        hits.Select(h => h.Key).Should().Equal(expected.Select(e => e.Key));
        r.GetKeys().Should().BeEquivalentTo(live.Keys);
    }

    [Fact]
    public void Add_NormalisesOnInsert()
    {
        using var r = new CosineRetriever<long>(2);
        r.Add(1, [3, 4]);
        var v = new float[2];
        r.TryGetVector(1, v).Should().BeTrue();
        v.Should().Equal(0.6f, 0.8f);
        r.TryGetVector(2, v).Should().BeFalse();
        r.Contains(1).Should().BeTrue();
    }

    [Fact]
    public void Search_QueryOfWrongDimension_Throws()
    {
        using var r = new CosineRetriever<long>(4);
        r.Add(1, [1, 2, 3, 4]);
        r.Invoking(x => x.Search([1, 2, 3], 1)).Should().Throw<ArgumentException>().WithParameterName("query").WithMessage("*dimension 3*dimension is 4*");
        r.Invoking(x => x.SearchBatch(new float[7], 1)).Should().Throw<ArgumentException>().WithParameterName("queries");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Add_NonFiniteValue_ThrowsNamingKey(float bad)
    {
        using var r = new CosineRetriever<string>(3);
        r.Invoking(x => x.Add("case-42", [1, bad, 0])).Should().Throw<ArgumentException>()
            .WithParameterName("vector").WithMessage("*'case-42'*non-finite*index 1*");
        r.Count.Should().Be(0);
    }

    [Fact]
    public void Add_ZeroVector_ThrowsNamingKey()
    {
        using var r = new CosineRetriever<long>(3);
        r.Invoking(x => x.Add(7, [0, 0, 0])).Should().Throw<ArgumentException>().WithMessage("*'7'*all zeros*");
    }

    [Fact]
    public void Search_NaNQuery_Throws()
    {
        using var r = new CosineRetriever<long>(2);
        r.Add(1, [1, 0]);
        r.Invoking(x => x.Search([float.NaN, 1], 1)).Should().Throw<ArgumentException>().WithParameterName("query");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Search_TopNotPositive_Throws(int top)
    {
        using var r = new CosineRetriever<long>(2);
        r.Add(1, [1, 0]);
        r.Invoking(x => x.Search([1, 0], top)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("top");
        r.Invoking(x => x.SearchBatch([1, 0], top)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("top");
    }

    [Fact]
    public void Search_TopAboveCount_ReturnsAllHits()
    {
        using var r = new CosineRetriever<long>(2);
        r.Add(1, [1, 0]);
        r.Add(2, [0, 1]);
        r.Search([1, 1], 10).Should().HaveCount(2);
        r.SearchBatch([1, 1], 10)[0].Should().HaveCount(2);
    }

    [Fact]
    public void Search_EmptyIndex_ReturnsNoHits()
    {
        using var r = new CosineRetriever<long>(2, new() { Storage = RetrieverStorage.Int8 });
        r.Search([1, 0], 5).Should().BeEmpty();
        r.SearchBatch([1, 0, 0, 1], 5).Should().HaveCount(2).And.OnlyContain(h => h.Count == 0);
    }

    [Fact]
    public void Add_DuplicateKey_Throws()
    {
        using var r = new CosineRetriever<string>(2);
        r.Add("a", [1, 0]);
        r.Invoking(x => x.Add("a", [0, 1])).Should().Throw<ArgumentException>().WithParameterName("key").WithMessage("*'a'*already*");
        r.Invoking(x => x.AddRange(["b", "a"], [1, 0, 0, 1])).Should().Throw<ArgumentException>().WithMessage("*'a'*already*");
        r.Invoking(x => x.AddRange(["c", "c"], [1, 0, 0, 1])).Should().Throw<ArgumentException>().WithParameterName("keys").WithMessage("*'c'*more than once*");
        r.Count.Should().Be(1);
        r.Contains("b").Should().BeFalse();
    }

    [Fact]
    public void Update_MissingKey_Throws()
    {
        using var r = new CosineRetriever<long>(2);
        r.Invoking(x => x.Update(5, [1, 0])).Should().Throw<KeyNotFoundException>().WithMessage("*'5'*");
        r.Remove(5).Should().BeFalse();
    }

    [Fact]
    public void Constructor_InvalidOptions_Throw()
    {
        FluentActions.Invoking(() => new CosineRetriever<long>(0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("dimension");
        FluentActions.Invoking(() => new CosineRetriever<long>(2, new() { RescoreFactor = 0 })).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*RescoreFactor*");
        FluentActions.Invoking(() => new CosineRetriever<long>(2, new() { CompactionThreshold = 0 })).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new CosineRetriever<long>(2, new() { Storage = (RetrieverStorage)9 })).Should().Throw<NotSupportedException>().WithMessage("*9*");
    }
}
