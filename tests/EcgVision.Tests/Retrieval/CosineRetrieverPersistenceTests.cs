using EcgVision.Retrieval;
using EcgVision.Signals;

namespace EcgVision.Tests.Retrieval;

public sealed class CosineRetrieverPersistenceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ecgvision-index-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static CosineRetriever<T> Build<T>(Func<int, T> key, int n, int d, RetrieverStorage storage = RetrieverStorage.Float32)
        where T : notnull
    {
        var r = new CosineRetriever<T>(d, new() { Storage = storage });
        float[] data = RetrievalTestData.Gaussian(n, d, seed: n + d);
        for (int i = 0; i < n; i++)
        {
            r.Add(key(i), data.AsSpan(i * d, d));
        }

        return r;
    }

    private static void ShouldSearchAlike<T>(CosineRetriever<T> a, CosineRetriever<T> b)
        where T : notnull
    {
        float[] q = RetrievalTestData.Gaussian(4, a.Dimension + (a.Dimension & 1), seed: 3);
        for (int i = 0; i < 4; i++)
        {
            var query = q.AsSpan(i * a.Dimension, a.Dimension);
            b.Search(query, 7).Should().Equal(a.Search(query, 7));
        }
    }

    [Theory]
    [InlineData(RetrieverStorage.Float32)]
    [InlineData(RetrieverStorage.Float16)]
    [InlineData(RetrieverStorage.Int8)]
    public void SaveLoad_RoundTrip_PreservesVectorsKeysAndResults(RetrieverStorage storage)
    {
        using var original = Build(i => (long)i * 1000, 300, 37, storage);
        original.Remove(5000);
        original.Remove(17000);
        original.Save(PathOf("a.idx"));
        using var loaded = CosineRetriever<long>.Load(PathOf("a.idx"));
        loaded.Count.Should().Be(298);
        loaded.Dimension.Should().Be(37);
        loaded.Storage.Should().Be(storage);
        loaded.GetKeys().Should().Equal(original.GetKeys());
        ShouldSearchAlike(original, loaded);
        loaded.SearchBatch(new float[37 * 2].Select((_, i) => (float)Math.Sin(i)).ToArray(), 3, parallel: true).Should().HaveCount(2);
    }

    [Fact]
    public void SaveLoad_KeyTypesAndMetadata_RoundTrip()
    {
        using var s = Build(i => $"ptbxl-{i:D5}-é", 20, 8);
        var meta = new Dictionary<string, CaseMetadata>
        {
            ["ptbxl-00003-é"] = new() { Report = "sinus rhythm. normal ecg.", Codes = ["NORM", "SR"], Superclasses = ["NORM"], Source = "PTB-XL 3" },
            ["ptbxl-00011-é"] = new() { Report = "inferior myocardial infarction", Codes = ["IMI"], Superclasses = ["MI"] },
        };
        s.Save(PathOf("s.idx"), meta);
        using var loaded = CosineRetriever<string>.Load(PathOf("s.idx"), out var loadedMeta);
        loadedMeta.Keys.Should().BeEquivalentTo(meta.Keys);
        loadedMeta["ptbxl-00003-é"].Report.Should().Be("sinus rhythm. normal ecg.");
        loadedMeta["ptbxl-00003-é"].Codes.Should().Equal("NORM", "SR");
        loadedMeta["ptbxl-00011-é"].Superclasses.Should().Equal("MI");
        loadedMeta["ptbxl-00011-é"].Source.Should().BeNull();
        ShouldSearchAlike(s, loaded);

        using var g = Build(i => new Guid(i, 0, 0, new byte[8]), 5, 3);
        g.Save(PathOf("g.idx"));
        using var gl = CosineRetriever<Guid>.Load(PathOf("g.idx"));
        gl.GetKeys().Should().Equal(g.GetKeys());

        using var n = Build(i => i, 0, 3);
        n.Save(PathOf("empty.idx"));
        using var nl = CosineRetriever<int>.Load(PathOf("empty.idx"));
        nl.Count.Should().Be(0);
        nl.Search([1, 2, 3], 3).Should().BeEmpty();
    }

    [Fact]
    public void Load_ThenWrite_CopiesOutOfTheMappedFile()
    {
        using (var r = Build(i => (long)i, 50, 16))
        {
            r.Save(PathOf("w.idx"));
        }

        using var loaded = CosineRetriever<long>.Load(PathOf("w.idx"));
        loaded.Add(1000, Enumerable.Repeat(1f, 16).ToArray());
        loaded.Remove(3).Should().BeTrue();
        loaded.Update(4, Enumerable.Repeat(-1f, 16).ToArray());
        loaded.Count.Should().Be(50);
        loaded.Search(Enumerable.Repeat(1f, 16).ToArray(), 1)[0].Key.Should().Be(1000);
        loaded.Search(Enumerable.Repeat(-1f, 16).ToArray(), 1)[0].Key.Should().Be(4);
        loaded.Save(PathOf("w.idx")); // overwriting the mapped file is fine: the old inode stays mapped
        using var again = CosineRetriever<long>.Load(PathOf("w.idx"));
        again.Count.Should().Be(50);
    }

    [Fact]
    public void Save_CrashBetweenWriteAndRename_LeavesPreviousIndexReadable()
    {
        string path = PathOf("crash.idx");
        using var v1 = Build(i => (long)i, 10, 4);
        v1.Save(path);
        using var v2 = Build(i => (long)i + 100, 20, 4);
        v2.SaveFaultInjection = () => throw new IOException("simulated crash after writing, before rename");
        v2.Invoking(x => x.Save(path)).Should().Throw<IOException>().WithMessage("simulated crash*");

        // A real crash would also leave the temporary file behind; it must not disturb the index either.
        File.WriteAllBytes(Path.Combine(_dir, ".crash.idx.123.tmp"), new byte[100]);
        using var loaded = CosineRetriever<long>.Load(path, verifyOnOpen: true);
        loaded.Count.Should().Be(10);
        loaded.GetKeys().Should().Equal(v1.GetKeys());
        Directory.GetFiles(_dir).Should().HaveCount(2);
    }

    [Theory]
    [InlineData(RetrieverStorage.Float32)]
    [InlineData(RetrieverStorage.Int8)]
    public void Load_AnySingleByteFlipped_IsDetectedBeforeResults(RetrieverStorage storage)
    {
        string good = PathOf("good.idx");
        using (var r = Build(i => $"k{i}", 5, 3, storage))
        {
            r.Save(good, new Dictionary<string, CaseMetadata> { ["k1"] = new() { Report = "normal", Codes = ["NORM"] } });
        }

        byte[] bytes = File.ReadAllBytes(good);
        bytes.Length.Should().BeGreaterThan(200);
        string bad = PathOf("bad.idx");
        for (int i = 0; i < bytes.Length; i++)
        {
            byte[] copy = (byte[])bytes.Clone();
            copy[i] ^= 0x5A;
            File.WriteAllBytes(bad, copy);
            Action act = () =>
            {
                using var loaded = CosineRetriever<string>.Load(bad);
                loaded.Search([1, 2, 3], 2);
            };
            act.Should().Throw<EcgFormatException>($"byte {i} of {bytes.Length} was flipped");
        }
    }

    [Fact]
    public void Load_LazyVerification_FailsOnFirstSearchAndEveryLaterOne()
    {
        string path = PathOf("lazy.idx");
        using (var r = Build(i => (long)i, 10, 4))
        {
            r.Save(path);
        }

        byte[] bytes = File.ReadAllBytes(path);
        bytes[^3] ^= 1;
        File.WriteAllBytes(path, bytes);
        using var loaded = CosineRetriever<long>.Load(path);
        loaded.Count.Should().Be(10);
        loaded.Invoking(x => x.Search([1, 0, 0, 0], 1)).Should().Throw<EcgFormatException>().WithMessage("*payload checksum*");
        loaded.Invoking(x => x.SearchBatch([1, 0, 0, 0], 1)).Should().Throw<EcgFormatException>();
        FluentActions.Invoking(() => CosineRetriever<long>.Load(path, verifyOnOpen: true)).Should().Throw<EcgFormatException>().WithMessage($"{path}*");
    }

    [Fact]
    public void Load_TruncatedFile_Throws()
    {
        string path = PathOf("t.idx");
        using (var r = Build(i => (long)i, 10, 4))
        {
            r.Save(path);
        }

        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);
        FluentActions.Invoking(() => CosineRetriever<long>.Load(path)).Should().Throw<EcgFormatException>().WithMessage("*truncated*").Which.Field.Should().Be("file length");
        File.WriteAllBytes(path, bytes[..50]);
        FluentActions.Invoking(() => CosineRetriever<long>.Load(path)).Should().Throw<EcgFormatException>().WithMessage("*truncated*");
        File.WriteAllBytes(path, []);
        FluentActions.Invoking(() => CosineRetriever<long>.Load(path)).Should().Throw<EcgFormatException>().WithMessage("*magic*");
    }

    [Fact]
    public void Load_WrongMagic_Throws()
    {
        string path = PathOf("m.idx");
        File.WriteAllText(path, "this is a CSV file, not an index; it is long enough to hold a header of one hundred and twenty-eight bytes......");
        FluentActions.Invoking(() => CosineRetriever<long>.Load(path)).Should().Throw<EcgFormatException>()
            .WithMessage($"{path}: Not an EcgVision index*").Which.Field.Should().Be("magic");
    }

    [Fact]
    public void Load_WrongVersion_Throws()
    {
        string path = PathOf("v.idx");
        using (var r = Build(i => (long)i, 3, 4))
        {
            r.Save(path);
        }

        byte[] bytes = File.ReadAllBytes(path);
        bytes[8] = 2;
        File.WriteAllBytes(path, bytes);
        FluentActions.Invoking(() => CosineRetriever<long>.Load(path)).Should().Throw<EcgFormatException>().WithMessage("*version 2*reads version 1*");
    }

    [Fact]
    public void Load_WrongKeyType_Throws()
    {
        string path = PathOf("k.idx");
        using (var r = Build(i => (long)i, 3, 4))
        {
            r.Save(path);
        }

        FluentActions.Invoking(() => CosineRetriever<string>.Load(path)).Should().Throw<EcgFormatException>().WithMessage("*Int64 keys*CosineRetriever<String>*");
        FluentActions.Invoking(() => CosineRetriever<long>.Load(PathOf("missing.idx"))).Should().Throw<FileNotFoundException>();
    }

    [Fact]
    public void Save_UnsupportedKeyTypeOrUnknownMetadataKey_Throws()
    {
        using var r = new CosineRetriever<double>(2);
        r.Add(1.5, [1, 0]);
        r.Invoking(x => x.Save(PathOf("d.idx"))).Should().Throw<NotSupportedException>().WithMessage("*Double*");
        using var l = Build(i => (long)i, 3, 2);
        l.Invoking(x => x.Save(PathOf("x.idx"), new Dictionary<long, CaseMetadata> { [99] = new() })).Should().Throw<ArgumentException>().WithMessage("*'99'*not in the index*");
        File.Exists(PathOf("x.idx")).Should().BeFalse();
    }

    [Fact]
    public void Dispose_ThenSearch_Throws()
    {
        string path = PathOf("disp.idx");
        using (var r = Build(i => (long)i, 3, 4))
        {
            r.Save(path);
        }

        var loaded = CosineRetriever<long>.Load(path);
        loaded.Dispose();
        loaded.Invoking(x => x.Search([1, 0, 0, 0], 1)).Should().Throw<ObjectDisposedException>();
    }
}
