namespace EcgVision.Imaging.Internal;

/// <summary>Trigonometry from basic IEEE operations only, so seeded geometry is bit-identical on every platform
/// (<see cref="Math.Sin(double)"/> defers to the C runtime, whose last bit differs between libms).</summary>
internal static class DeterministicMath
{
    /// <summary>sin(x) by its Taylor series; accurate to ~1e-16 for |x| ≤ π/4, usable to |x| ≤ π/2.</summary>
    public static double Sin(double x)
    {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n <= 10; n++)
        {
            term *= -x2 / ((2 * n) * (2 * n + 1));
            sum += term;
        }

        return sum;
    }

    /// <summary>cos(x) by its Taylor series; accurate to ~1e-16 for |x| ≤ π/4, usable to |x| ≤ π/2.</summary>
    public static double Cos(double x)
    {
        double x2 = x * x;
        double term = 1;
        double sum = 1;
        for (int n = 1; n <= 10; n++)
        {
            term *= -x2 / ((2 * n - 1) * (2 * n));
            sum += term;
        }

        return sum;
    }
}
