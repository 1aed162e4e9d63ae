namespace EcgVision.Torch;

/// <summary>How an encoder turns its sequence of hidden states into one vector.</summary>
public enum TokenPooling
{
    /// <summary>The final hidden state of the first (<c>[CLS]</c>) token, after the last layer norm.</summary>
    Cls,

    /// <summary>The mean of the hidden states over the real (unmasked) tokens.</summary>
    Mean,
}
