namespace EcgVision.Signals;

/// <summary>A file or stream does not hold what its format requires. The message names the file, the field, the rule and the value found.</summary>
public class EcgFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the field, the rule and the value found.</param>
    /// <param name="filePath">The file at fault, when known; prefixed to the message.</param>
    /// <param name="field">The field at fault (e.g. <c>gain of signal 3</c>, <c>scp_codes</c>), when known.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public EcgFormatException(string message, string? filePath = null, string? field = null, Exception? innerException = null)
        : base(Compose(message, filePath), innerException)
    {
        FilePath = filePath;
        Field = field;
    }

    /// <summary>Creates the exception with a message only.</summary>
    /// <param name="message">The message.</param>
    public EcgFormatException(string message)
        : this(message, null, null, null)
    {
    }

    /// <summary>Creates an empty exception (for serialisers and fuzz harnesses).</summary>
    public EcgFormatException()
        : this("The ECG data is malformed.")
    {
    }

    /// <summary>Creates the exception wrapping another.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The underlying error.</param>
    public EcgFormatException(string message, Exception innerException)
        : this(message, null, null, innerException)
    {
    }

    /// <summary>The file at fault, when known.</summary>
    public string? FilePath { get; }

    /// <summary>The field at fault, when known.</summary>
    public string? Field { get; }

    private static string Compose(string message, string? filePath) =>
        string.IsNullOrEmpty(filePath) ? message : $"{filePath}: {message}";
}
