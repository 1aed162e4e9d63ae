namespace EcgVision.Retrieval;

/// <summary>How <see cref="CosineRetriever{TKey}"/> stores the rows it scans.</summary>
public enum RetrieverStorage
{
    /// <summary>Unit-norm float32 rows are scanned directly; results are exact.</summary>
    Float32 = 0,

    /// <summary>Rows are also kept as IEEE half precision (2× less scan traffic); the best candidates are re-scored exactly in float32.</summary>
    Float16 = 1,

    /// <summary>Rows are also kept as int8 with one float scale per row (4× less scan traffic); the best candidates are re-scored exactly in float32.</summary>
    Int8 = 2,
}
