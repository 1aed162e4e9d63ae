namespace EcgVision.Torch.Training;

/// <summary>Recall@K of cross-modal retrieval over a validation set (a hit is any top-K item of the query's group).</summary>
/// <param name="ImageToTextR1">ECG→report recall@1.</param>
/// <param name="ImageToTextR5">ECG→report recall@5.</param>
/// <param name="ImageToTextR10">ECG→report recall@10.</param>
/// <param name="TextToImageR1">Report→ECG recall@1.</param>
/// <param name="TextToImageR5">Report→ECG recall@5.</param>
/// <param name="TextToImageR10">Report→ECG recall@10.</param>
/// <param name="Loss">The contrastive loss over the whole validation set as one batch.</param>
public sealed record RetrievalMetrics(
    double ImageToTextR1, double ImageToTextR5, double ImageToTextR10,
    double TextToImageR1, double TextToImageR5, double TextToImageR10, double Loss)
{
    /// <summary>Mean of the six recalls: the score early stopping and best-checkpoint keeping maximise.</summary>
    public double MeanRecall => (ImageToTextR1 + ImageToTextR5 + ImageToTextR10 + TextToImageR1 + TextToImageR5 + TextToImageR10) / 6;
}

/// <summary>What a <see cref="TrainingProgress"/> event reports.</summary>
public enum TrainingEventKind
{
    /// <summary>An optimiser step finished.</summary>
    Step,

    /// <summary>An epoch finished (validated and checkpointed when configured).</summary>
    EpochCompleted,
}

/// <summary>A progress event of <see cref="ContrastiveTrainer"/>.</summary>
/// <param name="Kind">Step or epoch end.</param>
/// <param name="Epoch">The epoch, 1-based.</param>
/// <param name="Epochs">Total epochs planned.</param>
/// <param name="Step">Optimiser steps taken so far (1-based, across epochs).</param>
/// <param name="TotalSteps">Optimiser steps planned.</param>
/// <param name="Loss">Step: the step's loss; epoch end: the epoch's mean training loss.</param>
/// <param name="LearningRate">The learning rate of the last step.</param>
/// <param name="LogitScale">exp(logit_scale) after the step.</param>
/// <param name="Validation">Validation metrics at epoch end, when a validation set is given.</param>
/// <param name="IsBest">At epoch end: whether this epoch is the best so far.</param>
/// <param name="Elapsed">Wall time since <see cref="ContrastiveTrainer.Train"/> started.</param>
public sealed record TrainingProgress(
    TrainingEventKind Kind, int Epoch, int Epochs, long Step, long TotalSteps, double Loss, double LearningRate, double LogitScale,
    RetrievalMetrics? Validation, bool IsBest, TimeSpan Elapsed);

/// <summary>The outcome of <see cref="ContrastiveTrainer.Train"/>.</summary>
/// <param name="EpochsCompleted">Epochs finished (including any before a resume).</param>
/// <param name="Steps">Optimiser steps taken (including any before a resume).</param>
/// <param name="FinalTrainingLoss">Mean training loss of the last epoch.</param>
/// <param name="BestEpoch">Epoch with the best validation score (the last epoch without validation).</param>
/// <param name="BestValidation">Validation metrics of the best epoch, if validated.</param>
/// <param name="StoppedEarly">Whether early stopping ended the run.</param>
/// <param name="History">Epoch-end events in order.</param>
public sealed record TrainingResult(
    int EpochsCompleted, long Steps, double FinalTrainingLoss, int BestEpoch, RetrievalMetrics? BestValidation, bool StoppedEarly,
    IReadOnlyList<TrainingProgress> History);
