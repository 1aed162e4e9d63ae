// 03-TrainClip: train a tiny CLIP model that pairs ECG images with their free-text reports, on a CPU in under a minute.
//
// Idea (Radford et al. 2021; Qiu et al. 2023): a ViT image tower and a BERT report tower are trained with a symmetric
// contrastive loss so that an ECG and its report land close together in one embedding space. Recall@1 on held-out
// pairs is printed before and after training; a hit is a top-1 neighbour with the same diagnosis codes (GroupId),
// since different wordings of one diagnosis are equally right. The model is far smaller than the paper's so it trains
// in about half a minute on 2 idle cores; expect clearly-above-chance recall, not a useful model.
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

// 1. Data: synthetic ECG/report pairs, rendered to 3x32x32 images; pairs with the same codes share a group.
var corpus = SyntheticEcgCorpus.Generate(256, seed: 3);
var source = new QiuImageSource(size: 32);
var groups = new Dictionary<string, int>();
var (c, h, w) = source.Shape;
ClipSample ToSample(SyntheticEcg ecg)
{
    var image = new float[c * h * w];
    source.Encode(ecg.Record, image);
    string codes = string.Join('+', ecg.Conditions.Select(x => x.Code).Order());
    int group = groups.TryGetValue(codes, out int g) ? g : groups[codes] = groups.Count;
    return new ClipSample(image, ecg.Record.Metadata.Report!, group);
}

var train = new InMemoryClipDataset(corpus.Take(192).Select(ToSample).ToArray());
var validation = new InMemoryClipDataset(corpus.Skip(192).Select(ToSample).ToArray());
Console.WriteLine($"Data: {train.Count} training and {validation.Count} validation pairs, {groups.Count} code sets, images {c}x{h}x{w}");

// 2. Tokenizer: a small WordPiece vocabulary learned from the training reports only.
var vocabularyTrainer = new WordPieceVocabularyTrainer(new WordPieceTrainerOptions { VocabularySize = 512, MinFrequency = 2 });
var tokenizer = WordPieceReportTokenizer.FromTrainer(vocabularyTrainer, corpus.Take(192).Select(e => e.Record.Metadata.Report!));
Console.WriteLine($"Tokenizer: {tokenizer.VocabularySize} word pieces; \"{validation[0].Report}\" -> {string.Join(' ', tokenizer.Tokenize(validation[0].Report).Take(12))} ...");

// 3. Model: the Micro preset, narrowed further (64 wide, 2 layers) and sized to the images and the vocabulary.
var config = EcgClipConfig.Micro with
{
    Vision = VisionTransformerConfig.Micro with { ImageSize = h, Channels = c, HiddenSize = 64, NumLayers = 2, NumHeads = 2, IntermediateSize = 128 },
    Text = EcgClipConfig.Micro.Text with { VocabularySize = tokenizer.VocabularySize, MaxPositions = 32, HiddenSize = 64, IntermediateSize = 128 },
    EmbeddingDim = 64,
};
using var model = new EcgClipModel(config);
var options = new ContrastiveTrainerOptions { Epochs = 15, BatchSize = 32, LearningRate = 2e-3, WarmupSteps = 6, Threads = 2, MaxTextLength = 32 };

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
Console.WriteLine($"Trained {result.Steps} steps; {clock.Elapsed.TotalSeconds:F1} s in all.");
