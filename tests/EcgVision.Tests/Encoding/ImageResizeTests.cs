using System.Text.Json;
using EcgVision.Encoding;
using EcgVision.Testing;

namespace EcgVision.Tests.Encoding;

public sealed class ImageResizeTests
{
    private static readonly string s_referencePath =
        Path.Combine(SharedData.RepositoryRoot, "tests", "EcgVision.Tests", "TestData", "bilinear_reference.json");

    public static TheoryData<int> Cases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(s_referencePath));
        return new TheoryData<int>(Enumerable.Range(0, doc.RootElement.GetProperty("cases").GetArrayLength()));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bilinear_MatchesTorchInterpolate(int index)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(s_referencePath));
        var c = doc.RootElement.GetProperty("cases")[index];
        int[] shape = c.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        int[] size = c.GetProperty("size").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        float[] input = c.GetProperty("input").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
        double[] expected = c.GetProperty("output").EnumerateArray().Select(e => e.GetDouble()).ToArray();

        float[] actual = ImageResize.Bilinear(input, shape[0], shape[1], shape[2], size[0], size[1]);
        ScalarOracle.AssertClose(actual, expected, 1e-5, $"case {index} [{string.Join(",", shape)}] -> [{size[0]}, {size[1]}]");
    }

    [Fact]
    public void Bilinear_SameSize_IsIdentity()
    {
        float[] x = ScalarOracle.RandomWalk(3 * 5 * 7, 1);
        ImageResize.Bilinear(x, 3, 5, 7, 5, 7).Should().Equal(x);
    }

    [Fact]
    public void Bilinear_ConstantImage_StaysConstant()
    {
        float[] x = Enumerable.Repeat(0.25f, 2 * 9 * 4).ToArray();
        ImageResize.Bilinear(x, 2, 9, 4, 17, 3).Should().AllBeEquivalentTo(0.25f);
    }

    [Fact]
    public void Bilinear_ThrowsForTooShortDestination()
    {
        var act = () => ImageResize.Bilinear(new float[16], 1, 4, 4, new float[63], 8, 8);
        act.Should().Throw<ArgumentException>().WithParameterName("destination").WithMessage("*64*63*");
    }

    [Theory]
    [InlineData(0, 4, 4, 2, 2, "channels")]
    [InlineData(1, 0, 4, 2, 2, "height")]
    [InlineData(1, 4, 4, 2, 0, "outWidth")]
    public void Bilinear_RejectsBadSizes(int c, int h, int w, int oh, int ow, string param)
    {
        var act = () => ImageResize.Bilinear(new float[64], c, h, w, new float[64], oh, ow);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(param);
    }

    [Fact]
    public void Bilinear_ThrowsForShortSource()
    {
        var act = () => ImageResize.Bilinear(new float[15], 1, 4, 4, 2, 2);
        act.Should().Throw<ArgumentException>().WithParameterName("source").WithMessage("*16*15*");
    }
}
