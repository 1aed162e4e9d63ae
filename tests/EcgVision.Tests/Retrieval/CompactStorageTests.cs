using EcgVision.Retrieval;
using Xunit.Abstractions;

namespace EcgVision.Tests.Retrieval;

public class CompactStorageTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(RetrieverStorage.Float16, 0.999)]
    [InlineData(RetrieverStorage.Int8, 0.98)]
    public void Search_CompactStorage_RecallAt10AboveFloor(RetrieverStorage storage, double floor)
    {
        const int n = 10000, d = 128, queries = 40;
        float[] data = RetrievalTestData.Gaussian(n, d, seed: 21);
        long[] keys = Enumerable.Range(0, n).Select(i => (long)i).ToArray();
        using var exact = new CosineRetriever<long>(d);
        exact.AddRange(keys, data);
        using var compact = new CosineRetriever<long>(d, new() { Storage = storage });
        compact.AddRange(keys, data);

        float[] q = RetrievalTestData.Gaussian(queries, d, seed: 22);
        var truth = exact.SearchBatch(q, 10);
        var approx = compact.SearchBatch(q, 10);
        double found = 0;
        for (int i = 0; i < queries; i++)
        {
            found += approx[i].Select(h => h.Key).Intersect(truth[i].Select(h => h.Key)).Count();
            foreach (var hit in approx[i])
            {
                // Re-scored hits carry exact float32 scores.
                float[] v = data.AsSpan((int)hit.Key * d, d).ToArray();
                hit.Score.Should().BeApproximately((float)RetrievalTestData.Cosine(v, q.AsSpan(i * d, d)), 1e-5f);
            }
        }

        double recall = found / (queries * 10);
        output.WriteLine($"{storage}: recall@10 = {recall:F4} (N={n}, d={d}, {queries} queries, rescore factor 4)");
        recall.Should().BeGreaterThanOrEqualTo(floor);
    }

    [Fact]
    public void Search_CompactStorage_SingleEqualsBatch()
    {
        const int d = 40;
        float[] data = RetrievalTestData.Gaussian(999, d, seed: 1);
        using var r = new CosineRetriever<long>(d, new() { Storage = RetrieverStorage.Int8 });
        r.AddRange(Enumerable.Range(0, 999).Select(i => (long)i).ToArray(), data);
        float[] q = RetrievalTestData.Gaussian(9, d, seed: 2);
        var batch = r.SearchBatch(q, 5, parallel: true);
        for (int i = 0; i < 9; i++)
        {
            r.Search(q.AsSpan(i * d, d), 5).Select(h => h.Key).Should().Equal(batch[i].Select(h => h.Key));
        }
    }
}
