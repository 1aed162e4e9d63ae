using EcgVision.Torch.Clip;
using EcgVision.Torch.Training;
using TorchSharp;

namespace EcgVision.Torch.Tests.Training;

[Collection("Torch")]
public class ContrastiveTrainerTests
{
    private static readonly ContrastiveTrainerOptions Quick = new()
    {
        Epochs = 1, BatchSize = 16, LearningRate = 2e-3, WarmupSteps = 0, WeightDecay = 0.01, MaxTextLength = 12, Threads = 1, Seed = 7,
    };

    [Fact]
    public void Train_OneStep_LowersTheLoss()
    {
        using var model = TestModels.CreateModel();
        var tokenizer = TestModels.Tokenizer();
        var data = TestModels.Pairs(16);
        double before = ContrastiveTrainer.Evaluate(model, tokenizer, data, 12).Loss;
        using var trainer = new ContrastiveTrainer(model, tokenizer, Quick with { LearningRate = 1e-4 });
        var result = trainer.Train(data);
        result.Steps.Should().Be(1);
        double after = ContrastiveTrainer.Evaluate(model, tokenizer, data, 12).Loss;
        after.Should().BeLessThan(before);
    }

    [Fact]
    public void Train_ThirtyTwoPairs_OverfitsToPerfectRecallBothWays()
    {
        using var model = TestModels.CreateModel();
        var tokenizer = TestModels.Tokenizer();
        var data = TestModels.Pairs(32);
        var progress = new List<TrainingProgress>();
        using var trainer = new ContrastiveTrainer(model, tokenizer, Quick with { Epochs = 200, BatchSize = 32, WarmupSteps = 5, LearningRate = 2e-3, WeightDecay = 0 });
        var result = trainer.Train(data, data, new SyncProgress(progress.Add));
        var metrics = ContrastiveTrainer.Evaluate(model, tokenizer, data, 12);
        metrics.ImageToTextR1.Should().Be(1.0);
        metrics.TextToImageR1.Should().Be(1.0);
        result.BestValidation!.MeanRecall.Should().Be(1.0);
        progress.Should().Contain(p => p.Kind == TrainingEventKind.EpochCompleted && p.Validation != null);
        progress.Where(p => p.Kind == TrainingEventKind.Step).Select(p => p.Step).Should().BeInAscendingOrder();
    }

    [Fact]
    public void Resume_AfterKill_EqualsUninterruptedRun()
    {
        var tokenizer = TestModels.Tokenizer();
        var data = TestModels.Pairs(24);
        var options = Quick with
        {
            Epochs = 2, BatchSize = 4, AccumulationSteps = 2, WarmupSteps = 2,
        };

        // Uninterrupted: 2 epochs.
        string straightDir = TestModels.TempDirectory();
        using var straightModel = TestModels.CreateModel(Tiny(dropout: 0.1));
        using var straight = new ContrastiveTrainer(straightModel, tokenizer, options with { CheckpointDirectory = straightDir });
        var straightResult = straight.Train(data);

        // Killed after epoch 1 (cancelled at the epoch-end event), then resumed from last/.
        string runDir = TestModels.TempDirectory();
        using var cts = new CancellationTokenSource();
        using (var firstModel = TestModels.CreateModel(Tiny(dropout: 0.1)))
        using (var first = new ContrastiveTrainer(firstModel, tokenizer, options with { CheckpointDirectory = runDir }))
        {
            var act = () => first.Train(data, null, new SyncProgress(p =>
            {
                if (p.Kind == TrainingEventKind.EpochCompleted)
                {
                    cts.Cancel();
                }
            }), cts.Token);
            act.Should().Throw<OperationCanceledException>();
        }

        using var resumed = ContrastiveTrainer.Resume(Path.Combine(runDir, "last"), WordListTokenizer.Load(Path.Combine(runDir, "last", "tokenizer")));
        resumed.EpochsCompleted.Should().Be(1);
        var resumedResult = resumed.Train(data);

        resumedResult.Steps.Should().Be(straightResult.Steps);
        resumedResult.FinalTrainingLoss.Should().BeApproximately(straightResult.FinalTrainingLoss, 1e-6);
        var a = straightModel.state_dict();
        var b = resumed.Model.state_dict();
        foreach (var key in a.Keys)
        {
            (a[key] - b[key]).abs().max().item<float>().Should().BeLessThan(1e-6f, key);
        }
    }

    [Fact]
    public void Train_FeatureCacheAccumulation_EqualsOneLargeBatch()
    {
        var tokenizer = TestModels.Tokenizer();
        var data = TestModels.Pairs(16);
        using var big = TestModels.CreateModel();
        using var cached = TestModels.CreateModel();
        using (var t = new ContrastiveTrainer(big, tokenizer, Quick with { BatchSize = 16 }))
        {
            t.Train(data);
        }

        using (var t = new ContrastiveTrainer(cached, tokenizer, Quick with { BatchSize = 4, AccumulationSteps = 4 }))
        {
            t.Train(data);
        }

        var a = big.state_dict();
        var b = cached.state_dict();
        foreach (var key in a.Keys)
        {
            (a[key] - b[key]).abs().max().item<float>().Should().BeLessThan(2e-5f, key);
        }
    }

    [Fact]
    public void LearningRateAt_WarmsUpLinearlyThenDecaysByCosine()
    {
        using var model = TestModels.CreateModel();
        using var trainer = new ContrastiveTrainer(model, TestModels.Tokenizer(), Quick with { LearningRate = 1.0, WarmupSteps = 4 });
        trainer.LearningRateAt(0, 104).Should().BeApproximately(0.25, 1e-12);
        trainer.LearningRateAt(3, 104).Should().BeApproximately(1.0, 1e-12);
        trainer.LearningRateAt(54, 104).Should().BeApproximately(0.5, 1e-12);
        trainer.LearningRateAt(104, 104).Should().BeApproximately(0.0, 1e-12);
    }

    [Fact]
    public void Train_EmptyDataset_Throws()
    {
        using var model = TestModels.CreateModel();
        using var trainer = new ContrastiveTrainer(model, TestModels.Tokenizer(), Quick);
        var act = () => trainer.Train(new InMemoryClipDataset([]));
        act.Should().Throw<ArgumentException>().WithParameterName("train").WithMessage("*at least 2 samples*(got 0)*");
        var emptyValidation = () => trainer.Train(TestModels.Pairs(4), new InMemoryClipDataset([]));
        emptyValidation.Should().Throw<ArgumentException>().WithParameterName("validation");
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(2, 8)]
    public void Train_ImageOfWrongShape_ThrowsNamingTheSample(int channels, int size)
    {
        using var model = TestModels.CreateModel();
        using var trainer = new ContrastiveTrainer(model, TestModels.Tokenizer(), Quick);
        var samples = TestModels.Pairs(3).Append(new ClipSample(new float[channels * size * size], "bad")).ToArray();
        var act = () => trainer.Train(new InMemoryClipDataset(samples));
        act.Should().Throw<ArgumentException>().WithMessage($"Sample 3:*2 × 16 × 16 = 512 floats (got {channels * size * size})*");
    }

    [Fact]
    public void Constructor_MaxTextLengthAboveMaxPositions_Throws()
    {
        using var model = TestModels.CreateModel();
        var act = () => new ContrastiveTrainer(model, TestModels.Tokenizer(), Quick with { MaxTextLength = 17 });
        act.Should().Throw<ArgumentException>().WithMessage("*MaxTextLength*MaxPositions (16) (got 17)*");
    }

    [Fact]
    public void Train_NoImprovement_StopsEarlyAndKeepsBestAndLastCheckpoints()
    {
        // One validation pair: recall is 1.0 after epoch 1 and cannot improve, so patience 1 stops after epoch 2.
        string dir = TestModels.TempDirectory();
        using var model = TestModels.CreateModel();
        using var trainer = new ContrastiveTrainer(model, TestModels.Tokenizer(), Quick with
        {
            Epochs = 5, BatchSize = 8, EarlyStoppingPatience = 1, CheckpointDirectory = dir,
        });
        var result = trainer.Train(TestModels.Pairs(8), new InMemoryClipDataset([new ClipSample(TestModels.Image(0), TestModels.Report(0))]));
        result.StoppedEarly.Should().BeTrue();
        result.EpochsCompleted.Should().Be(2);
        result.BestEpoch.Should().Be(1);
        EcgClipCheckpoint.ReadMetadata(Path.Combine(dir, "best")).Epoch.Should().Be(1);
        EcgClipCheckpoint.ReadMetadata(Path.Combine(dir, "last")).Epoch.Should().Be(2);
        EcgClipCheckpoint.ReadMetadata(Path.Combine(dir, "last")).Validation!.ImageToTextR1.Should().Be(1.0);
    }

    [Fact]
    public void Evaluate_SharedReport_CountsAnyPairOfTheGroupAsAHit()
    {
        using var model = TestModels.CreateModel();
        var same = new InMemoryClipDataset(Enumerable.Range(0, 6).Select(i => new ClipSample(TestModels.Image(i), "normal ecg")));
        var metrics = ContrastiveTrainer.Evaluate(model, TestModels.Tokenizer(), same, 12);
        metrics.ImageToTextR1.Should().Be(1.0);
        metrics.TextToImageR1.Should().Be(1.0);
    }

    [Fact]
    public void Constructor_CudaRequestedWithoutGpu_ThrowsAndAutoFallsBackToCpu()
    {
        using var model = TestModels.CreateModel();
        if (EcgVision.Torch.Native.TorchRuntime.HasCudaBackend())
        {
            return;
        }

        var act = () => new ContrastiveTrainer(model, TestModels.Tokenizer(), Quick with { Device = TrainingDevice.Cuda });
        act.Should().Throw<InvalidOperationException>().WithMessage("*Cuda*no CUDA device*");
        using var auto = new ContrastiveTrainer(model, TestModels.Tokenizer(), Quick with { Device = TrainingDevice.Auto });
        auto.Model.Device.type.Should().Be(DeviceType.CPU);
    }

    private static EcgClipConfig Tiny(double dropout) => TestModels.Tiny with
    {
        Vision = TestModels.Tiny.Vision with { Dropout = dropout },
        Text = TestModels.Tiny.Text with { Dropout = dropout },
    };

    private sealed class SyncProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}

file static class Extensions
{
    public static IEnumerable<ClipSample> Append(this InMemoryClipDataset data, ClipSample sample) =>
        Enumerable.Range(0, data.Count).Select(i => data[i]).Concat([sample]);
}
