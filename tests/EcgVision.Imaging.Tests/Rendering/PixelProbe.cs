using EcgVision.Imaging.Rendering;

namespace EcgVision.Imaging.Tests.Rendering;

/// <summary>Pixel queries on a rendered page used by the geometry tests.</summary>
internal static class PixelProbe
{
    /// <summary>Trace ink: every channel below 100 (grid lines, even black-and-white ones, are lighter).</summary>
    public static bool IsInk(PaperEcgImage image, int x, int y)
    {
        int o = (y * image.Width + x) * 4;
        ReadOnlySpan<byte> p = image.Pixels;
        return p[o] < 100 && p[o + 1] < 100 && p[o + 2] < 100;
    }

    /// <summary>Number of ink pixels in column <paramref name="x"/> between rows y0 (inclusive) and y1 (exclusive).</summary>
    public static int InkInColumn(PaperEcgImage image, int x, int y0, int y1)
    {
        int n = 0;
        for (int y = Math.Max(0, y0); y < Math.Min(image.Height, y1); y++)
        {
            n += IsInk(image, x, y) ? 1 : 0;
        }

        return n;
    }

    /// <summary>Ink-weighted centre (in pixel-centre coordinates, i.e. index + 0.5) of the columns in [x0, x1) with at least <paramref name="minInk"/> ink pixels in the band.</summary>
    public static double VerticalLineCentre(PaperEcgImage image, int x0, int x1, int y0, int y1, int minInk)
    {
        double sum = 0, weight = 0;
        for (int x = x0; x < x1; x++)
        {
            int n = InkInColumn(image, x, y0, y1);
            if (n >= minInk)
            {
                sum += (x + 0.5) * n;
                weight += n;
            }
        }

        weight.Should().BeGreaterThan(0, $"a vertical line was expected between x = {x0} and {x1}");
        return sum / weight;
    }

    /// <summary>Ink-weighted centre (index + 0.5) of the ink in column x between rows y0 and y1.</summary>
    public static double InkCentreY(PaperEcgImage image, int x, int y0, int y1)
    {
        double sum = 0, weight = 0;
        for (int y = y0; y < y1; y++)
        {
            if (IsInk(image, x, y))
            {
                sum += y + 0.5;
                weight++;
            }
        }

        weight.Should().BeGreaterThan(0, $"ink was expected in column {x} between y = {y0} and {y1}");
        return sum / weight;
    }
}
