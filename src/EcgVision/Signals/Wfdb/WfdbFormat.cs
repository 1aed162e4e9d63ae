namespace EcgVision.Signals.Wfdb;

/// <summary>WFDB signal-file storage formats (the number in the format field of a header's signal line).</summary>
/// <remarks>
/// See the PhysioNet WFDB "signal" specification. Each format has an invalid-sample sentinel (the most negative value it can hold),
/// which readers turn into <see cref="float.NaN"/>. <see cref="WfdbWriter"/> writes <see cref="Format16"/>, <see cref="Format212"/>,
/// <see cref="Format80"/>, <see cref="Format61"/>, <see cref="Format160"/>, <see cref="Format24"/> and <see cref="Format32"/>;
/// <see cref="WfdbReader"/> reads all of them.
/// </remarks>
public enum WfdbFormat
{
    /// <summary>Null signal: no samples stored; every sample is invalid.</summary>
    Null = 0,

    /// <summary>8-bit first differences from the previous sample, starting at the initial value (read only).</summary>
    Format8 = 8,

    /// <summary>16-bit two's complement, little-endian. Sentinel −32768.</summary>
    Format16 = 16,

    /// <summary>24-bit two's complement, little-endian. Sentinel −8388608.</summary>
    Format24 = 24,

    /// <summary>32-bit two's complement, little-endian. Sentinel −2147483648.</summary>
    Format32 = 32,

    /// <summary>16-bit two's complement, big-endian. Sentinel −32768.</summary>
    Format61 = 61,

    /// <summary>8-bit offset binary (stored byte = value + 128). Sentinel −128.</summary>
    Format80 = 80,

    /// <summary>16-bit offset binary, little-endian (stored = value + 32768). Sentinel −32768.</summary>
    Format160 = 160,

    /// <summary>12-bit two's complement, two samples packed into three bytes (MIT-BIH). Sentinel −2048.</summary>
    Format212 = 212,

    /// <summary>10-bit two's complement, three samples in two little-endian 16-bit words (read only). Sentinel −512.</summary>
    Format310 = 310,

    /// <summary>10-bit two's complement, three samples in one little-endian 32-bit word (read only). Sentinel −512.</summary>
    Format311 = 311,
}
