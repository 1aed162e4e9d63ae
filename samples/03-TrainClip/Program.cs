// 03-TrainClip: train a tiny CLIP model that pairs ECG images with their free-text reports, in a few seconds on a CPU.
//
// Idea (Radford et al. 2021; Qiu et al. 2023): a ViT image tower and a BERT report tower are trained with a symmetric
// contrastive loss so that an ECG and its report land close together in one embedding space. Recall@1 on held-out
// pairs (is the right report the nearest one?) is printed before and after training; chance level is 1/64 here.
//
// API choice: open_clip's split into model (EcgClipModel, config presets), loss (ClipLoss) and trainer
// (ContrastiveTrainer, options record, IProgress reporting, no console I/O of its own). The WordPiece vocabulary is
// learned from the training reports (WordPieceVocabularyTrainer), so nothing is downloaded. Images come from an
// IEcgImageSource (QiuImageSource: one averaged beat per lead as GASF/RP/MTF), the same interface used at query time.
using EcgVision.Encoding;
using EcgVision.Signals.Synthetic;
using EcgVision.Torch.Clip;
using EcgVision.Torch.Native;
using EcgVision.Torch.Tokenization;
using EcgVision.Torch.Training;
using EcgVision.Torch.Vision;

TorchRuntime.EnsureInitialized();                       // loads TorchSharp's native CPU runtime (with the Debian 12 fix)
TorchSharp.torch.manual_seed(42);                       // reproducible initial weights
var clock = System.Diagnostics.Stopwatch.StartNew();

// 1. Data: synthetic ECG/report pairs, rendered to 3x64x64 images.
var corpus = SyntheticEcgCorpus.Generate(320, seed: 3);
var source = new QiuImageSource(size: 64);
var (c, h, w) = source.Shape;
ClipSample ToSample(SyntheticEcg ecg)
{
    var image = new float[c * h * w];
    source.Encode(ecg.Record, image);
    return new ClipSample(image, ecg.Record.Metadata.Report!);
}

var train = new InMemoryClipDataset(corpus.Take(256).Select(ToSample));
var validation = new InMemoryClipDataset(corpus.Skip(256).Select(ToSample));
Console.WriteLine($"Data: {train.Count} training and {validation.Count} validation pairs, images {c}x{h}x{w} ({clock.Elapsed.TotalSeconds:F1} s)");

// 2. Tokenizer: a small WordPiece vocabulary learned from the training reports only.
var vocabularyTrainer = new WordPieceVocabularyTrainer(new WordPieceTrainerOptions { VocabularySize = 512, MinFrequency = 2 });
var tokenizer = WordPieceReportTokenizer.FromTrainer(vocabularyTrainer, corpus.Take(256).Select(e => e.Record.Metadata.Report!));
Console.WriteLine($"Tokenizer: {tokenizer.VocabularySize} word pieces; \"{validation[0].Report}\" -> {string.Join(' ', tokenizer.Tokenize(validation[0].Report).Take(12))} ...");

// 3. Model: the CPU-sized preset, with the text tower sized to the vocabulary.
var config = EcgClipConfig.Micro with
{
    Vision = VisionTransformerConfig.Micro with { ImageSize = h, Channels = c },
    Text = EcgClipConfig.Micro.Text with { VocabularySize = tokenizer.VocabularySize },
};
using var model = new EcgClipModel(config);
var options = new ContrastiveTrainerOptions { Epochs = 12, BatchSize = 32, LearningRate = 1e-3, WarmupSteps = 8, Threads = 2, MaxTextLength = 48 };

void PrintRecall(string when, RetrievalMetrics m) =>
    Console.WriteLine($"{when,-7} R@1 ECG->report {m.ImageToTextR1:P1}, report->ECG {m.TextToImageR1:P1}, R@5 ECG->report {m.ImageToTextR5:P1}, loss {m.Loss:F3}");

PrintRecall("Before:", ContrastiveTrainer.Evaluate(model, tokenizer, validation, options.MaxTextLength));

// 4. Train; the progress callback prints one line per epoch.
using var trainer = new ContrastiveTrainer(model, tokenizer, options);
var progress = new Progress<TrainingProgress>(p =>
{
    if (p.Kind == TrainingEventKind.EpochCompleted)
    {
        Console.WriteLine($"  epoch {p.Epoch,2}/{p.Epochs}: loss {p.Loss:F3}, logit scale {p.LogitScale:F1}, {p.Elapsed.TotalSeconds:F1} s");
    }
});
TrainingResult result = trainer.Train(train, validation: null, progress);

var after = ContrastiveTrainer.Evaluate(model, tokenizer, validation, options.MaxTextLength);
PrintRecall("After:", after);
Console.WriteLine($"Trained {result.Steps} steps in {clock.Elapsed.TotalSeconds:F1} s total; chance R@1 is about {1.0 / validation.Count:P1}.");
