namespace EcgVision.Encoding;

/// <summary>A closed interval <c>[Min, Max]</c> (pyts's <c>sample_range</c> tuple).</summary>
/// <param name="Min">Lower bound.</param>
/// <param name="Max">Upper bound.</param>
public readonly record struct ValueRange(double Min, double Max);
