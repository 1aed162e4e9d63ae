// 04-SearchEmbeddings: find the most similar past ECGs for a new one, draft a report from them, and persist the index.
//
// Idea: case retrieval needs only (1) a vector per ECG and (2) exact cosine search. Here the vector is the flattened
// Qiu image (averaged beat per lead as GASF/RP/MTF), which already groups ECGs with similar morphology; a trained CLIP
// image tower (sample 03) gives better vectors through the same code path. Neighbours' codes become a draft report.
//
// API choice: CosineRetriever<TKey> (core library, no native code) normalises on insert and scores with SIMD dot
// products; Save writes vectors, keys and CaseMetadata into one checksummed file atomically, and Load memory-maps it.
// ReportDrafter only needs hits + metadata, so it works with any embedding. Everything runs on a synthetic corpus.
using EcgVision.Encoding;
using EcgVision.Imaging.Io;
using EcgVision.Retrieval;
using EcgVision.Signals.Synthetic;

var corpus = SyntheticEcgCorpus.Generate(400, seed: 5);
var archive = corpus.Take(380).ToArray();               // past cases with reports
var queries = corpus.Skip(380).ToArray();               // new ECGs to search for
var source = new QiuImageSource(size: 48);
var (c, h, w) = source.Shape;
float[] Embed(SyntheticEcg ecg)
{
    var v = new float[c * h * w];
    source.Encode(ecg.Record, v);
    return v;
}

// 1. Index the archive; CaseMetadata travels with the vectors (reports, codes, superclasses).
using var index = new CosineRetriever<string>(dimension: c * h * w);
var metadata = new Dictionary<string, CaseMetadata>();
foreach (var ecg in archive)
{
    var md = ecg.Record.Metadata;
    string id = md.Id!;
    index.Add(id, Embed(ecg));
    metadata[id] = new CaseMetadata { Report = md.Report, Codes = [.. md.Codes.Keys], Superclasses = md.Superclasses, Source = "synthetic" };
}

Console.WriteLine($"Indexed {index.Count} cases, dimension {index.Dimension}");

// 2. Search: how often does the nearest case share a diagnostic superclass with the query, versus chance?
int agree = 0;
foreach (var q in queries)
{
    var best = index.Search(Embed(q), top: 1)[0];
    agree += metadata[best.Key].Superclasses.Intersect(q.Record.Metadata.Superclasses).Any() ? 1 : 0;
}

double chance = queries.Average(q => archive.Count(a => a.Record.Metadata.Superclasses.Intersect(q.Record.Metadata.Superclasses).Any()) / (double)archive.Length);
Console.WriteLine($"Top-1 neighbour shares a superclass with the query: {agree}/{queries.Length} (chance {chance:P0})");

// 3. One query in detail: neighbours, then a draft report from them.
var query = queries[0];
float[] queryVector = Embed(query);
var hits = index.Search(queryVector, top: 5);
Console.WriteLine($"\nQuery report (hidden from the search): {query.Record.Metadata.Report}");
foreach (var hit in hits)
{
    Console.WriteLine($"  case {hit.Key,5}  score {hit.Score:F3}  [{string.Join(",", metadata[hit.Key].Codes)}]  {metadata[hit.Key].Report}");
}

var drafter = new ReportDrafter(new ReportDrafterOptions { CodeDescriptions = SyntheticCondition.All.ToDictionary(x => x.Code, x => x.Description) });
DraftReport draft = drafter.Draft(hits, metadata);
Console.WriteLine($"\nDraft:\n{draft}");

// Save the query and its best match as images for a visual check.
Directory.CreateDirectory("out");
EcgImageWriter.SavePng(queryVector, c, h, w, Path.Combine("out", "04-query.png"), new EcgImagePngOptions { UseColormap = false });
EcgImageWriter.SavePng(Embed(archive.Single(a => a.Record.Metadata.Id == hits[0].Key)), c, h, w, Path.Combine("out", "04-best-match.png"), new EcgImagePngOptions { UseColormap = false });

// 4. Persist and reload: same hits, same metadata.
string path = Path.Combine("out", "04-cases.ecgidx");
index.Save(path, metadata);
using var loaded = CosineRetriever<string>.Load(path, out var loadedMetadata);
var again = loaded.Search(queryVector, top: 5);
bool same = again.SequenceEqual(hits) && loadedMetadata[again[0].Key].Report == metadata[hits[0].Key].Report;
Console.WriteLine($"Saved {new FileInfo(path).Length / 1024} KiB to {path}; reloaded {loaded.Count} cases, same results: {same}");
return same ? 0 : 1;
