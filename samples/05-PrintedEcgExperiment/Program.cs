// Printed-ECG experiment: does a photo of a printout retrieve the same past cases as the digital signal?
// Trains two small CLIP models on one seeded synthetic corpus (folds 1-8): one on a signal image source (GASF/RP/MTF), one on
// rendered + photo-augmented paper printouts (PrintoutImageSource). Each indexes the training archive through its own source;
// held-out records (folds 9-10) are queried as (i) the signal through the signal model and (ii) a freshly augmented printout
// (a seed never used in training) through the printout model. Reports the top-10 overlap of the two result lists and the
// superclass precision@10 of each, against untrained (random-weight) models and label chance. With --ptbxl DIR it also queries
// the printout model with the ecg-image-kit PNGs of real PTB-XL records (DIR/images) — see docs/printed-ecg.md.
using System.Diagnostics;
using System.Globalization;
using EcgVision.Encoding;
using EcgVision.Imaging.Rendering;
using EcgVision.Retrieval;
using EcgVision.Retrieval.Evaluation;
using EcgVision.Signals;
using EcgVision.Signals.PtbXl;
using EcgVision.Signals.Synthetic;
using EcgVision.Torch.Clip;
using EcgVision.Torch.Text;
using EcgVision.Torch.Tokenization;
using EcgVision.Torch.Training;
using EcgVision.Torch.Vision;
using TorchSharp;

var a = Args.Parse(args);
EcgVision.Torch.Native.TorchRuntime.EnsureInitialized();
torch.set_num_threads(a.TorchThreads);
var clock = Stopwatch.StartNew();
var corpus = SyntheticEcgCorpus.Generate(a.Count, a.Seed);
var train = corpus.Where(e => Fold(e.Record) <= 8).Select(e => e.Record).ToArray();
var test = corpus.Where(e => Fold(e.Record) >= 9).Select(e => e.Record).ToArray();
Console.WriteLine($"corpus {corpus.Count} (train {train.Length}, held-out {test.Length}) in {clock.Elapsed.TotalSeconds:F1} s");

IEcgImageSource signal = a.SignalSource == "qiu" ? new QiuImageSource(a.Size) : new MultiLeadImageSource(a.Size);
var printout = new PrintoutImageSource(new PrintoutImageSourceOptions { Size = a.Size, Channels = a.Channels, Dpi = a.Dpi, Augmentation = a.Augmentation });
Console.WriteLine($"signal source {signal.Descriptor.Kind} {signal.Shape}; printout {printout.Shape} at {a.Dpi} DPI, augmentation {a.Augmentation}");

// Per-record cost, single thread (the first 50 training records; the first call also builds the page template).
printout.Encode(train[0], new float[printout.ImageLength], 1);
Console.WriteLine($"per record (ms wall/CPU): printout clean {Time(r => printout.Encode(r, new float[printout.ImageLength]))} ms, " +
    $"printout augmented {Time(r => printout.Encode(r, new float[printout.ImageLength], r.Metadata.Id!.GetHashCode()))} ms, " +
    $"signal {Time(r => signal.Encode(r, new float[signal.Shape.Channels * signal.Shape.Height * signal.Shape.Width]))} ms");

if (a.TimingOnly)
{
    var renderer = new PaperEcgRenderer(new PaperEcgRenderOptions { Dpi = a.Dpi, ShowHeader = false });
    var page = renderer.Render(train[0]);
    Console.WriteLine($"render only {Time(r => renderer.Render(r))} ms; to tensor {Time(r => EcgVision.Imaging.Io.EcgImageLoader.FromRendered(page, new() { Width = a.Size, Height = a.Size, Channels = 1 }))} ms");
    var none = new PaperEcgAugmentationOptions { RotationProbability = 0, PerspectiveProbability = 0, CreaseProbability = 0, LightingProbability = 0, BlurProbability = 0, NoiseProbability = 0, JpegProbability = 0 };
    foreach (var (name, o) in new (string, PaperEcgAugmentationOptions)[]
    {
        ("rotation", none with { RotationProbability = 1 }), ("perspective", none with { PerspectiveProbability = 1 }),
        ("crease", none with { CreaseProbability = 1 }), ("lighting", none with { LightingProbability = 1 }), ("blur", none with { BlurProbability = 1 }),
        ("noise", none with { NoiseProbability = 1 }), ("jpeg", none with { JpegProbability = 1 }), ("fast", PrintoutImageSource.FastAugmentation), ("default", PaperEcgAugmentationOptions.Default),
    })
    {
        var aug = new PaperEcgAugmenter(o);
        Console.WriteLine($"augment {name}: {Time(r => aug.Augment(page, r.Metadata.Id!.GetHashCode()))} ms");
    }

    return 0;
}

clock.Restart();
float[][] signalTrain = EncodeAll(signal, train, null);
float[][] signalTest = EncodeAll(signal, test, null);
float[][] printClean = EncodeAll(printout, train, null);                                    // the archive, rendered cleanly
float[][][] printAug = [.. Enumerable.Range(0, a.Copies).Select(c => EncodeAll(printout, train, i => 1 + i + (c * 1_000_003)))];
float[][] printQuery = EncodeAll(printout, test, i => 700_000_001 + i);                    // never a training seed
float[][] printQueryClean = EncodeAll(printout, test, null);
Console.WriteLine($"encoded all images in {clock.Elapsed.TotalSeconds:F1} s ({a.Copies} augmented cop{(a.Copies == 1 ? "y" : "ies")} per training record)");

var reports = train.Select(r => r.Metadata.Report ?? "").ToArray();
var tokenizer = WordPieceReportTokenizer.FromTrainer(new WordPieceVocabularyTrainer(new WordPieceTrainerOptions { VocabularySize = 512 }), reports);
using var signalModel = Train("signal", signal.Shape.Channels, new CyclingDataset([signalTrain], reports), a.Epochs);
using var printModel = Train("printout", printout.Shape.Channels, new CyclingDataset(printAug, reports), a.Epochs);
torch.manual_seed(a.Seed + 1);
using var randomSignal = NewModel(signal.Shape.Channels);
using var randomPrint = NewModel(printout.Shape.Channels);

var trainLabels = train.Select(r => (IReadOnlyCollection<string>)r.Metadata.Superclasses.ToArray()).ToArray();
var testLabels = test.Select(r => (IReadOnlyCollection<string>)r.Metadata.Superclasses.ToArray()).ToArray();
var trained = Compare(signalModel, printModel, "trained");
Compare(randomSignal, randomPrint, "random weights");
if (a.Reference)
{
    using var signalModel2 = Train("signal (second seed)", signal.Shape.Channels, new CyclingDataset([signalTrain], reports), a.Epochs, a.Seed + 7);
    Console.WriteLine($"reference: top-10 overlap of two signal models trained with different seeds {Overlap(signalModel, signalTrain, signalTest, signalModel2, signalTrain, signalTest):F3}");
}

Console.WriteLine($"augmentation robustness: top-10 overlap of clean vs augmented printout through the printout model {Overlap(printModel, printClean, printQueryClean, printModel, printClean, printQuery):F3}");
Console.WriteLine($"label chance P@10 (archive prevalence of a shared superclass): {Chance(testLabels):F3}");

EcgClipModel? student = null;
using var signalArchive = Index(signalModel, signalTrain);
if (a.Distill)
{
    // Distillation: the printout image tower learns to reproduce the signal model's embedding of the same record, so a photo
    // queries the signal index itself (one embedding space, one archive).
    student = Distill(signalModel, printAug, printModel);
    int[][] s = [.. Embed(signalModel, signalTest).Select(q => signalArchive.Search(q, 10).Select(h => h.Key).ToArray())];
    int[][] d = [.. Embed(student, printQuery).Select(q => signalArchive.Search(q, 10).Select(h => h.Key).ToArray())];
    Console.WriteLine($"distilled printout tower into the signal index: top-10 overlap with the signal query {s.Zip(d, (x, y) => x.Intersect(y).Count() / 10.0).Average():F3}; " +
        $"superclass P@10 {LabelRetrieval.Compute(testLabels, [.. d.Select(Labels)], 10).PrecisionAtK:F3} (signal {LabelRetrieval.Compute(testLabels, [.. s.Select(Labels)], 10).PrecisionAtK:F3})");
}

if (a.PtbXl is string root)
{
    using var printArchive = Index(printModel, printClean);
    PtbXlExperiment(root, printModel, printArchive, "printout model");
    if (student is not null)
    {
        PtbXlExperiment(root, student, signalArchive, "distilled tower, signal index");
    }
}

student?.Dispose();

Console.WriteLine($"total {clock.Elapsed.TotalSeconds:F0} s since encoding");
return 0;

(double Overlap, double SignalP, double PrintP) Compare(EcgClipModel signalM, EcgClipModel printM, string name)
{
    using var signalIndex = Index(signalM, signalTrain);
    using var printIndex = Index(printM, printClean);
    int[][] s = [.. Embed(signalM, signalTest).Select(q => signalIndex.Search(q, 10).Select(h => h.Key).ToArray())];
    int[][] p = [.. Embed(printM, printQuery).Select(q => printIndex.Search(q, 10).Select(h => h.Key).ToArray())];
    double overlap = s.Zip(p, (x, y) => x.Intersect(y).Count() / 10.0).Average();
    double sp = LabelRetrieval.Compute(testLabels, [.. s.Select(Labels)], 10).PrecisionAtK;
    double pp = LabelRetrieval.Compute(testLabels, [.. p.Select(Labels)], 10).PrecisionAtK;
    Console.WriteLine($"{name}: top-10 overlap {overlap:F3}; superclass P@10 signal {sp:F3}, augmented printout {pp:F3} ({test.Length} queries, archive {train.Length})");
    return (overlap, sp, pp);
}

void PtbXlExperiment(string root, EcgClipModel model, CosineRetriever<int> index, string name)
{
    var dataset = PtbXlDataset.Open(root, new PtbXlOptions { MissingRecordPolicy = MissingRecordPolicy.Skip });
    var byId = dataset.Entries.ToDictionary(e => e.EcgId);
    var queryLabels = new List<IReadOnlyCollection<string>>();
    var fromPng = new List<IReadOnlyList<IReadOnlyCollection<string>>>();
    var fromRender = new List<IReadOnlyList<IReadOnlyCollection<string>>>();
    double overlap = 0;
    var buffer = new float[printout.ImageLength];
    foreach (string png in Directory.GetFiles(Path.Combine(root, "images"), "*.png").Order(StringComparer.Ordinal))
    {
        int id = int.Parse(Path.GetFileName(png)[..5], CultureInfo.InvariantCulture);
        if (!byId.TryGetValue(id, out PtbXlEntry? entry) || entry.Superclasses.Count == 0 || !entry.RecordExists)
        {
            continue;
        }

        printout.EncodePhoto(png, buffer);
        int[] a1 = [.. index.Search(Embed(model, [buffer])[0], 10).Select(h => h.Key)];
        printout.Encode(entry.LoadRecord(), buffer, 900_000_000 + id);                  // our own augmented printout of the same signal
        int[] a2 = [.. index.Search(Embed(model, [buffer])[0], 10).Select(h => h.Key)];
        queryLabels.Add([.. entry.Superclasses]);
        fromPng.Add(Labels(a1));
        fromRender.Add(Labels(a2));
        overlap += a1.Intersect(a2).Count() / 10.0;
    }

    if (queryLabels.Count == 0)
    {
        Console.WriteLine($"PTB-XL: no labelled image with a record under {root}");
        return;
    }

    Console.WriteLine($"{name}: PTB-XL images ({queryLabels.Count} with superclasses and a record): superclass P@10 from ecg-image-kit PNG " +
        $"{LabelRetrieval.Compute(queryLabels, fromPng, 10).PrecisionAtK:F3}, from our augmented rendering of the same signal " +
        $"{LabelRetrieval.Compute(queryLabels, fromRender, 10).PrecisionAtK:F3}, chance {Chance(queryLabels):F3}; top-10 overlap PNG vs rendering {overlap / queryLabels.Count:F3}");
    var majority = fromPng.Select(l => l.SelectMany(x => x).GroupBy(x => x).OrderByDescending(g => g.Count()).First().Key).GroupBy(x => x)
        .Select(g => $"{g.Key}×{g.Count()}");
    Console.WriteLine($"{name}: PTB-XL PNG queries: most frequent retrieved superclass per query: {string.Join(", ", majority)}; truth: " +
        string.Join(", ", queryLabels.SelectMany(l => l).GroupBy(x => x).Select(g => $"{g.Key}×{g.Count()}")));
}

double Overlap(EcgClipModel m1, float[][] archive1, float[][] queries1, EcgClipModel m2, float[][] archive2, float[][] queries2)
{
    using var i1 = Index(m1, archive1);
    using var i2 = Index(m2, archive2);
    float[][] e1 = Embed(m1, queries1), e2 = Embed(m2, queries2);
    return e1.Zip(e2, (x, y) => i1.Search(x, 10).Select(h => h.Key).Intersect(i2.Search(y, 10).Select(h => h.Key)).Count() / 10.0).Average();
}

EcgClipModel Distill(EcgClipModel teacher, float[][][] copies, EcgClipModel init)
{
    var watch = Stopwatch.StartNew();
    float[][] targets = Embed(teacher, signalTrain);
    var model = NewModel(printout.Shape.Channels);
    model.load_state_dict(init.state_dict());                      // start from the printout CLIP tower
    var parameters = model.parameters().Where(p => p.requires_grad).ToArray();
    using var optimizer = torch.optim.AdamW(parameters, a.LearningRate, weight_decay: 0.05);
    model.train();
    var rng = new Random(a.Seed);
    int n = targets.Length, len = printout.ImageLength, dim = model.Config.EmbeddingDim, batch = 64;
    double last = 0;
    for (int epoch = 0; epoch < a.Epochs; epoch++)
    {
        int[] order = [.. Enumerable.Range(0, n).OrderBy(_ => rng.Next())];
        for (int start = 0; start < n; start += batch)
        {
            int b = Math.Min(batch, n - start);
            var x = new float[b * len];
            var t = new float[b * dim];
            for (int j = 0; j < b; j++)
            {
                copies[epoch % copies.Length][order[start + j]].CopyTo(x, j * len);
                targets[order[start + j]].CopyTo(t, j * dim);
            }

            using var scope = torch.NewDisposeScope();
            var e = model.EncodeImage(torch.tensor(x, [b, printout.Shape.Channels, a.Size, a.Size]));
            var loss = (1 - (e * torch.tensor(t, [b, dim])).sum(1)).mean();
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
        }
    }

    model.eval();
    Console.WriteLine($"distilled printout tower: {a.Epochs} epochs in {watch.Elapsed.TotalSeconds:F1} s, final 1 − cosine {last:F3}");
    return model;
}

IReadOnlyList<IReadOnlyCollection<string>> Labels(int[] keys) => [.. keys.Select(k => trainLabels[k])];

double Chance(IReadOnlyList<IReadOnlyCollection<string>> queries) =>
    queries.Where(q => q.Count > 0).Average(q => trainLabels.Count(t => t.Intersect(q).Any()) / (double)trainLabels.Length);

CosineRetriever<int> Index(EcgClipModel model, float[][] images)
{
    var retriever = new CosineRetriever<int>(model.Config.EmbeddingDim);
    float[][] e = Embed(model, images);
    for (int i = 0; i < e.Length; i++)
    {
        retriever.Add(i, e[i]);
    }

    return retriever;
}

float[][] Embed(EcgClipModel model, IReadOnlyList<float[]> images)
{
    using var embedder = new EcgEmbedder(model, tokenizer);
    var result = new List<float[]>(images.Count);
    for (int i = 0; i < images.Count; i += 64)
    {
        result.AddRange(embedder.EmbedImages([.. images.Skip(i).Take(64)]));
    }

    return [.. result];
}

EcgClipModel NewModel(int channels) => new(EcgClipConfig.Micro with
{
    Vision = VisionTransformerConfig.Micro with { ImageSize = a.Size, Channels = channels, PatchSize = a.Size / 8 },
    Text = BertTextEncoderConfig.Mini with { VocabularySize = tokenizer.VocabularySize },
});

EcgClipModel Train(string name, int channels, IClipDataset data, int epochs, int? seed = null)
{
    torch.manual_seed(seed ?? a.Seed);
    var model = NewModel(channels);
    var watch = Stopwatch.StartNew();
    using var trainer = new ContrastiveTrainer(model, tokenizer, new ContrastiveTrainerOptions
    {
        Epochs = epochs, BatchSize = 64, LearningRate = a.LearningRate, WarmupSteps = 10, Threads = a.TorchThreads, Seed = seed ?? a.Seed,
    });
    TrainingResult result = trainer.Train(data);
    Console.WriteLine($"trained {name} model: {epochs} epochs, {result.Steps} steps in {watch.Elapsed.TotalSeconds:F1} s, final loss {result.FinalTrainingLoss:F3}");
    return model;
}

float[][] EncodeAll(IEcgImageSource source, EcgRecord[] records, Func<int, int>? seed)
{
    var images = new float[records.Length][];
    int length = source.Shape.Channels * source.Shape.Height * source.Shape.Width;
    Parallel.For(0, records.Length, new ParallelOptions { MaxDegreeOfParallelism = a.Threads }, i =>
    {
        images[i] = new float[length];
        source.Encode(records[i], images[i], seed?.Invoke(i));
    });
    return images;
}

// Mean milliseconds per record over the first 50 training records, as "wall/CPU" (CPU time is what counts on a busy machine).
string Time(Action<EcgRecord> action)
{
    var process = Process.GetCurrentProcess();
    TimeSpan cpu = process.TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    int n = Math.Min(50, train.Length);
    for (int i = 0; i < n; i++)
    {
        action(train[i]);
    }

    double wall = watch.Elapsed.TotalMilliseconds / n;
    process.Refresh();
    return $"{wall:F1}/{(process.TotalProcessorTime - cpu).TotalMilliseconds / n:F1}";
}

static int Fold(EcgRecord r) => int.Parse(r.Metadata.Properties["strat_fold"], CultureInfo.InvariantCulture);

/// <summary>Training pairs whose image cycles through K precomputed augmented copies, one more each time a sample is read (once per epoch).</summary>
internal sealed class CyclingDataset(float[][][] copies, string[] reports) : IClipDataset
{
    private readonly int[] _reads = new int[reports.Length];

    public int Count => reports.Length;

    public ClipSample this[int index] => new(copies[_reads[index]++ % copies.Length][index], reports[index]);
}

internal sealed record Args(int Count, int Seed, int Size, int Channels, double Dpi, PrintoutAugmentation Augmentation, int Epochs,
    double LearningRate, int Copies, int Threads, int TorchThreads, string SignalSource, string? PtbXl, bool TimingOnly, bool Distill, bool Reference)
{
    public static Args Parse(string[] args)
    {
        var d = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            d[args[i].TrimStart('-')] = args[i + 1];
        }

        string Get(string k, string v) => d.TryGetValue(k, out string? x) ? x : v;
        return new Args(
            int.Parse(Get("count", "1500"), CultureInfo.InvariantCulture), int.Parse(Get("seed", "42"), CultureInfo.InvariantCulture),
            int.Parse(Get("size", "64"), CultureInfo.InvariantCulture), int.Parse(Get("channels", "1"), CultureInfo.InvariantCulture),
            double.Parse(Get("dpi", "50"), CultureInfo.InvariantCulture), Enum.Parse<PrintoutAugmentation>(Get("augmentation", "Default"), true),
            int.Parse(Get("epochs", "8"), CultureInfo.InvariantCulture), double.Parse(Get("lr", "1e-3"), CultureInfo.InvariantCulture),
            int.Parse(Get("copies", "2"), CultureInfo.InvariantCulture), int.Parse(Get("threads", "2"), CultureInfo.InvariantCulture), int.Parse(Get("torch-threads", "1"), CultureInfo.InvariantCulture),
            Get("signal", "multilead"), d.TryGetValue("ptbxl", out string? p) ? p : null, Get("timing-only", "false") == "true",
            Get("distill", "true") == "true", Get("reference", "true") == "true");
    }
}
