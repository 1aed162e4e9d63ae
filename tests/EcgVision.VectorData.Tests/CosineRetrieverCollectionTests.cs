using EcgVision.Retrieval;
using EcgVision.VectorData;
using Microsoft.Extensions.VectorData;

namespace EcgVision.VectorData.Tests;

public class CosineRetrieverCollectionTests
{
    private static EcgCaseRecord<string> Case(string key, float[] v, string report, params string[] codes) =>
        new() { Key = key, Embedding = v, Report = report, Codes = codes, Superclasses = codes.Length > 0 ? [codes[0]] : [] };

    private static async Task<CosineRetrieverCollection<string>> Seeded(CosineRetriever<string> index)
    {
        var c = new CosineRetrieverCollection<string>("cases", index);
        await c.UpsertAsync(
        [
            Case("a", [1, 0, 0], "normal", "NORM"),
            Case("b", [0.9f, 0.1f, 0], "inferior MI", "MI"),
            Case("c", [0, 1, 0], "lbbb", "CD"),
            Case("d", [-1, 0, 0], "anterior MI", "MI"),
        ]);
        return c;
    }

    [Fact]
    public async Task SearchAsync_ReturnsRetrieverHitsAsRecords()
    {
        using var index = new CosineRetriever<string>(3);
        using var c = await Seeded(index);
        var results = await c.SearchAsync(new float[] { 1, 0, 0 }, 3).ToListAsync();
        results.Select(r => r.Record.Key).Should().Equal("a", "b", "c");
        results[0].Score.Should().BeApproximately(1, 1e-6);
        results[1].Record.Report.Should().Be("inferior MI");
        results[0].Record.Embedding.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public async Task SearchAsync_FilterSkipThresholdAndVectors()
    {
        using var index = new CosineRetriever<string>(3);
        using var c = await Seeded(index);
        var mi = await c.SearchAsync(new ReadOnlyMemory<float>([1, 0, 0]), 5, new VectorSearchOptions<EcgCaseRecord<string>> { Filter = r => r.Codes.Contains("MI") }).ToListAsync();
        mi.Select(r => r.Record.Key).Should().Equal("b", "d");

        var skipped = await c.SearchAsync(new float[] { 1, 0, 0 }, 2, new VectorSearchOptions<EcgCaseRecord<string>> { Skip = 1, IncludeVectors = true }).ToListAsync();
        skipped.Select(r => r.Record.Key).Should().Equal("b", "c");
        skipped[0].Record.Embedding.Length.Should().Be(3);

        var above = await c.SearchAsync(new float[] { 1, 0, 0 }, 4, new VectorSearchOptions<EcgCaseRecord<string>> { ScoreThreshold = 0.5 }).ToListAsync();
        above.Select(r => r.Record.Key).Should().Equal("a", "b");

        await FluentActions.Awaiting(async () => await c.SearchAsync("text", 1).ToListAsync()).Should().ThrowAsync<NotSupportedException>();
    }

    [Fact]
    public async Task UpsertGetDelete_RoundTrip()
    {
        using var index = new CosineRetriever<string>(3);
        using var c = await Seeded(index);
        await c.UpsertAsync(Case("a", [0, 0, 1], "updated", "HYP"));
        index.Count.Should().Be(4);
        (await c.GetAsync("a", new RecordRetrievalOptions { IncludeVectors = true }))!.Embedding.ToArray().Should().Equal(0, 0, 1);
        (await c.GetAsync("a"))!.Report.Should().Be("updated");
        (await c.GetAsync(r => r.Codes.Contains("MI"), 10).ToListAsync()).Select(r => r.Key).Should().BeEquivalentTo(["b", "d"]);
        await c.DeleteAsync("b");
        (await c.GetAsync("b")).Should().BeNull();
        c.Metadata.Keys.Should().BeEquivalentTo(["a", "c", "d"]);
        c.GetService(typeof(CosineRetriever<string>)).Should().BeSameAs(index);

        await c.EnsureCollectionDeletedAsync();
        (await c.CollectionExistsAsync()).Should().BeFalse();
        index.Count.Should().Be(0);
    }

    [Fact]
    public async Task VectorDataCaseRetriever_OverTheCollection_EqualsDirectSearch()
    {
        using var index = new CosineRetriever<string>(3);
        using var c = await Seeded(index);
        var reverse = new VectorDataCaseRetriever<string, EcgCaseRecord<string>>(c, r => r.Key);
        float[] q = [0.5f, 0.5f, 0.1f];
        (await reverse.SearchAsync(q, 3)).Should().Equal(index.Search(q, 3));
        await FluentActions.Awaiting(() => reverse.SearchAsync(q, 0)).Should().ThrowAsync<ArgumentOutOfRangeException>();
    }
}
