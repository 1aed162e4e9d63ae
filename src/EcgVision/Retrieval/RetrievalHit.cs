namespace EcgVision.Retrieval;

/// <summary>One search result: the key of a stored vector and its cosine similarity to the query.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <param name="Key">The key the vector was added with.</param>
/// <param name="Score">Cosine similarity in [-1, 1]; higher means more similar.</param>
/// <remarks>Mirrors <c>Microsoft.Extensions.VectorData.VectorSearchResult</c> (record plus score).</remarks>
public readonly record struct RetrievalHit<TKey>(TKey Key, float Score);
