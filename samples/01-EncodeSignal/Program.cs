// 01-EncodeSignal: turn one ECG lead into the 2-D images the models look at, and save them as PNGs.
//
// Idea: a 1-D time series becomes an image a vision model can read. The Gramian angular fields (GASF/GADF)
// map samples to angles and take pairwise cos(φi+φj) / sin(φi−φj); the Markov transition field (MTF) bins the
// samples and shows how likely bin(i) is followed by bin(j); the recurrence plot (RP) shows |xi − xj|.
// The Qiu et al. (2023) image instead stacks one averaged beat per lead into a 3×224×224 picture.
//
// API choice: every single-lead encoder implements IEcgImageEncoder, is configured by an immutable options record
// validated once in the constructor, and returns a row-major [size, size] float array (Encode extension method).
// EcgImageWriter.SavePng (EcgVision.Imaging) maps floats to a viridis PNG; we pass each encoder's documented
// value range so colours mean the same thing across images. The signal is synthetic (offline, reproducible).
using EcgVision.Encoding;
using EcgVision.Imaging.Io;
using EcgVision.Signals.Synthetic;

var ecg = SyntheticEcg.Generate(SyntheticEcgSpec.Of(SyntheticCondition.InferiorInfarction) with { HeartRate = 72 }, seed: 7);
var record = ecg.Record;
Console.WriteLine($"Record: {record.LeadCount} leads x {record.SampleCount} samples at {record.SamplingRate} Hz");
Console.WriteLine($"Report: {record.Metadata.Report}");

// Two seconds of lead II (about two beats) keep the structure visible in a 128-pixel image.
int window = (int)(2 * record.SamplingRate);
ReadOnlySpan<float> leadII = record.GetLead("II")[..window];
Directory.CreateDirectory("out");

var encoders = new (string Name, IEcgImageEncoder Encoder, float Min, float Max)[]
{
    ("gasf", new GramianAngularFieldEncoder(new() { ImageSize = 128, Method = GramianAngularFieldMethod.Summation }), -1, 1),
    ("gadf", new GramianAngularFieldEncoder(new() { ImageSize = 128, Method = GramianAngularFieldMethod.Difference }), -1, 1),
    ("mtf", new MarkovTransitionFieldEncoder(new() { ImageSize = 128, BinCount = 8 }), 0, 1),
    ("rp", new RecurrencePlotEncoder(new() { ImageSize = 128, MaxDistance = 1 }), 0, 1),
};

foreach (var (name, encoder, min, max) in encoders)
{
    float[] image = encoder.Encode(leadII);
    int size = encoder.GetImageSize(leadII.Length);
    string path = Path.Combine("out", $"01-{name}.png");
    EcgImageWriter.SavePng(image, 1, size, size, path, new EcgImagePngOptions { Min = min, Max = max });
    Console.WriteLine($"{name,-5} {size}x{size}  range [{image.Min(),6:F3}, {image.Max(),6:F3}]  -> {path}");
}

// The Qiu image needs all 12 leads: it detects R peaks, averages a beat per lead and tiles them into RGB.
var qiu = new QiuImageEncoder(new QiuImageOptions { OutputSize = 224 });
float[] rgb = qiu.EncodeRecord(record);
var (c, h, w) = qiu.OutputShape;
EcgImageWriter.SavePng(rgb, c, h, w, Path.Combine("out", "01-qiu.png"), new EcgImagePngOptions { UseColormap = false });
Console.WriteLine($"qiu   {c}x{h}x{w} range [{rgb.Min(),6:F3}, {rgb.Max(),6:F3}]  -> out/01-qiu.png");
Console.WriteLine("Wrote 5 images to ./out");
