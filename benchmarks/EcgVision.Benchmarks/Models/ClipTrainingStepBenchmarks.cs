using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Attributes;
using EcgVision.Torch.Clip;
using EcgVision.Torch.Native;
using EcgVision.Torch.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgVision.Benchmarks.Models;

/// <summary>
/// One CLIP training step (forward, symmetric InfoNCE, backward, clip, AdamW, clamp) on the reference configuration shared with
/// benchmarks/peers/torch_clip_step.py: ViT 6×192 at 3×128×128 / patch 16, BERT 4×256 over 8192 ids × 64 tokens, projection 256,
/// batch 32, 2 CPU threads, random data.
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project benchmarks/EcgVision.Benchmarks -- --filter '*ClipTrainingStep*'</c>.</remarks>
[Config(typeof(ShortConfig))]
public class ClipTrainingStepBenchmarks
{
    private EcgClipModel model = null!;
    private AdamW optimizer = null!;
    private Tensor images = null!;
    private TextEncoderInput text = null!;

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureInitialized();
        torch.set_num_threads(2);
        torch.manual_seed(0);
        model = new EcgClipModel(EcgClipConfig.Reference);
        model.train();
        optimizer = optim.AdamW(model.parameters(), 5e-4, 0.9, 0.98, 1e-6, 0.2);
        images = randn(32, 3, 128, 128);
        var ids = randint(4, 8192, [32, 64], dtype: ScalarType.Int64);
        var mask = ones(32, 64, dtype: ScalarType.Int64);
        mask.narrow(1, 40, 24).zero_();
        text = new TextEncoderInput(ids, mask);
    }

    [Benchmark]
    public float TrainingStep()
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var loss = ClipLoss.Compute(model.EncodeImage(images), model.EncodeText(text), model.LogitScale);
        loss.backward();
        nn.utils.clip_grad_norm_(model.parameters(), 1.0);
        optimizer.step();
        model.ClampLogitScale();
        return loss.item<float>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        optimizer.Dispose();
        model.Dispose();
    }

    private sealed class ShortConfig : BenchmarkDotNet.Configs.ManualConfig
    {
        public ShortConfig()
        {
            // In-process: no child project build; the native runtime set-up is shared with the host.
            AddJob(BenchmarkDotNet.Jobs.Job.Default.WithWarmupCount(2).WithIterationCount(8).WithInvocationCount(1).WithUnrollFactor(1)
                .WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance));
            AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default);
        }
    }
}
