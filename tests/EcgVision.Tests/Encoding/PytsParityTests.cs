using System.Text.Json;
using EcgVision.Encoding;
using EcgVision.Testing;

namespace EcgVision.Tests.Encoding;

/// <summary>Every case of ../shared/reference/pyts_parity.json (pyts outputs in float64) against the float32 encoders.</summary>
public sealed class PytsParityTests
{
    private const string File = "reference/pyts_parity.json";
    private static readonly Lazy<JsonElement[]> s_cases = new(Load);

    private static JsonElement[] Load()
    {
        using var stream = System.IO.File.OpenRead(SharedData.Get(File));
        using var doc = JsonDocument.Parse(stream);
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone()).ToArray();
    }

    public static TheoryData<int, string> Cases()
    {
        var data = new TheoryData<int, string>();
        if (SharedData.TryGet(File) is null)
        {
            data.Add(-1, "absent");
            return data;
        }

        for (int i = 0; i < s_cases.Value.Length; i++)
        {
            var c = s_cases.Value[i];
            data.Add(i, c.GetProperty("transform").GetString() + " " + c.GetProperty("params").GetRawText());
        }

        return data;
    }

    [SharedDataTheory(File)]
    [MemberData(nameof(Cases))]
    public void Transform_MatchesPyts(int index, string description)
    {
        _ = description;
        var c = s_cases.Value[index];
        var p = c.GetProperty("params");
        double[][] inputs = ReadMatrix(c.GetProperty("input"));
        var outputs = c.GetProperty("output").EnumerateArray().ToArray();
        inputs.Length.Should().BePositive();

        for (int s = 0; s < inputs.Length; s++)
        {
            float[] signal = inputs[s].Select(v => (float)v).ToArray();
            double[] expected = Flatten(outputs[s]);
            switch (c.GetProperty("transform").GetString())
            {
                case "PiecewiseAggregateApproximation":
                {
                    var paa = new PiecewiseAggregateApproximation(new()
                    {
                        OutputSize = ReadSize(p.GetProperty("output_size")),
                        Overlapping = p.GetProperty("overlapping").GetBoolean(),
                    });
                    AssertClose(paa.Transform(signal), expected, 1e-4, $"series {s}");
                    break;
                }

                case "GramianAngularField":
                {
                    var range = p.GetProperty("sample_range");
                    var gaf = new GramianAngularFieldEncoder(new()
                    {
                        ImageSize = ReadSize(p.GetProperty("image_size")),
                        Method = p.GetProperty("method").GetString() == "summation" ? GramianAngularFieldMethod.Summation : GramianAngularFieldMethod.Difference,
                        SampleRange = range.ValueKind == JsonValueKind.Null ? null : new ValueRange(range[0].GetDouble(), range[1].GetDouble()),
                        Overlapping = p.GetProperty("overlapping").GetBoolean(),
                    });
                    AssertClose(gaf.Encode(signal), expected, 1e-4, $"series {s}");
                    break;
                }

                case "KBinsDiscretizer":
                {
                    var options = new BinDiscretizerOptions { BinCount = p.GetProperty("n_bins").GetInt32(), Strategy = ReadStrategy(p) };
                    var discretizer = new BinDiscretizer(options);
                    int[] bins = discretizer.Transform(signal);
                    var edges = new double[options.BinCount - 1];
                    int edgeCount = discretizer.ComputeEdges(signal, edges);
                    for (int i = 0; i < bins.Length; i++)
                    {
                        if (bins[i] != (int)expected[i])
                        {
                            // Tolerated only where the sample lies within 1e-6 of an edge (float32 input vs pyts's float64).
                            edges.Take(edgeCount).Should().Contain(e => Math.Abs(e - inputs[s][i]) < 1e-6,
                                $"series {s} sample {i} ({inputs[s][i]}) was put in bin {bins[i]} but pyts says {expected[i]}");
                        }
                    }

                    break;
                }

                case "MarkovTransitionField":
                {
                    var mtf = new MarkovTransitionFieldEncoder(new()
                    {
                        ImageSize = ReadSize(p.GetProperty("image_size")),
                        BinCount = p.GetProperty("n_bins").GetInt32(),
                        Strategy = ReadStrategy(p),
                        Overlapping = p.GetProperty("overlapping").GetBoolean(),
                    });
                    AssertClose(mtf.Encode(signal), expected, 1e-4, $"series {s}");
                    break;
                }

                case "RecurrencePlot":
                {
                    var threshold = p.GetProperty("threshold");
                    var options = new RecurrencePlotOptions
                    {
                        Dimension = p.GetProperty("dimension").GetInt32(),
                        TimeDelay = p.GetProperty("time_delay").GetInt32(),
                        Percentage = p.GetProperty("percentage").GetDouble(),
                        Threshold = threshold.ValueKind switch
                        {
                            JsonValueKind.Null => RecurrencePlotThreshold.None,
                            JsonValueKind.Number => RecurrencePlotThreshold.Fixed,
                            _ => threshold.GetString() == "point" ? RecurrencePlotThreshold.Point : RecurrencePlotThreshold.Distance,
                        },
                        Epsilon = threshold.ValueKind == JsonValueKind.Number ? threshold.GetDouble() : 0.1,
                    };
                    float[] image = new RecurrencePlotEncoder(options).Encode(signal);
                    if (options.Threshold == RecurrencePlotThreshold.None)
                    {
                        AssertClose(image, expected, 1e-4, $"series {s}");
                    }
                    else
                    {
                        AssertThresholdedClose(image, expected, inputs[s], options, $"series {s}");
                    }

                    break;
                }

                default:
                    throw new InvalidOperationException("Unknown transform " + c.GetProperty("transform").GetString());
            }
        }
    }

    private static void AssertThresholdedClose(float[] actual, double[] expected, double[] input, RecurrencePlotOptions options, string because)
    {
        actual.Length.Should().Be(expected.Length, because);
        double[] distances = ReferenceDistances(input, options.Dimension, options.TimeDelay);
        double epsilon = options.Threshold switch
        {
            RecurrencePlotThreshold.Fixed => options.Epsilon,
            RecurrencePlotThreshold.Distance => options.Percentage / 100 * distances.Max(),
            _ => NumpyPercentile(distances, options.Percentage),
        };
        for (int i = 0; i < actual.Length; i++)
        {
            if (actual[i] != expected[i])
            {
                Math.Abs(distances[i] - epsilon).Should().BeLessThan(1e-6, $"{because}: pixel {i} differs (distance {distances[i]}, threshold {epsilon})");
            }
        }
    }

    internal static double[] ReferenceDistances(double[] x, int m, int tau)
    {
        int n = x.Length - (m - 1) * tau;
        var d = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int k = 0; k < m; k++)
                {
                    double diff = x[i + k * tau] - x[j + k * tau];
                    sum += diff * diff;
                }

                d[i * n + j] = Math.Sqrt(sum);
            }
        }

        return d;
    }

    internal static double NumpyPercentile(double[] values, double percentage)
    {
        double[] s = values.OrderBy(v => v).ToArray();
        double index = (s.Length - 1) * (percentage / 100);
        int lo = (int)Math.Floor(index);
        int hi = Math.Min(lo + 1, s.Length - 1);
        return s[lo] + (s[hi] - s[lo]) * (index - lo);
    }

    private static BinStrategy ReadStrategy(JsonElement p) => p.GetProperty("strategy").GetString() switch
    {
        "quantile" => BinStrategy.Quantile,
        "uniform" => BinStrategy.Uniform,
        _ => BinStrategy.Normal,
    };

    private static OutputSize ReadSize(JsonElement e) =>
        e.GetRawText().Contains('.') ? OutputSize.Fraction(e.GetDouble()) : OutputSize.Absolute(e.GetInt32());

    private static double[][] ReadMatrix(JsonElement e) =>
        e.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

    private static double[] Flatten(JsonElement e) => e.ValueKind == JsonValueKind.Array
        ? e.EnumerateArray().SelectMany(Flatten).ToArray()
        : [e.GetDouble()];

    private static void AssertClose(float[] actual, double[] expected, double tolerance, string because)
    {
        actual.Length.Should().Be(expected.Length, because);
        for (int i = 0; i < actual.Length; i++)
        {
            if (!(Math.Abs(actual[i] - expected[i]) <= tolerance))
            {
                throw new Xunit.Sdk.XunitException($"{because}: element {i} is {actual[i]} but pyts gives {expected[i]} (tolerance {tolerance}).");
            }
        }
    }
}
