// 06-QueryWithPhoto: find similar past cases from a photo of a paper ECG printout.
//
// Idea: a photo is digitised back to 12 leads (PaperEcgDigitizer: grid, skew, rows, traces) and searched through the same
// signal model and index as digital ECGs, so a printout finds largely the same past cases as its signal. The signal view
// uses printed-layout beats (QiuBeatSelection.PrintedLayout): each lead's beat comes from its column of a 3×4 page, the
// only beat a printout shows, so signals and photos encode alike.
//
// Usage: dotnet run -- [photo.png|photo.jpg]   (without an argument, a held-out ECG is printed and "photographed" here)
// Everything is trained from scratch on a synthetic corpus; takes about a minute on 2 cores.
using EcgVision.Encoding;
using EcgVision.Imaging.Rendering;
using EcgVision.Torch.CaseRetrieval;

var data = CaseRecordSplit.FromSynthetic(1500, seed: 3);
var options = new EcgCaseRetrievalOptions { Training = new EcgCaseRetrievalOptions().Training with { Epochs = 20 } };
using var system = new EcgCaseRetrievalSystem(new QiuImageSource(32, QiuBeatSelection.PrintedLayout), options);
system.Train(data.Train, data.Validation);
system.IndexCases(data.Train);

string photo;
var query = data.Test.First(r => r.Metadata.Superclasses.Count > 0);
if (args.Length > 0)
{
    photo = args[0];
}
else
{
    // Print the held-out ECG at 150 DPI and degrade it like a phone photo: skew, perspective, lighting, blur, noise, JPEG.
    var page = new PaperEcgRenderer(new PaperEcgRenderOptions { Dpi = 150, ShowHeader = false }).Render(query);
    Directory.CreateDirectory("out");
    photo = Path.GetFullPath(Path.Combine("out", "photo.png"));
    new PaperEcgAugmenter(PaperEcgAugmentationOptions.Default).Augment(page, seed: 42).SavePng(photo);
    Console.WriteLine($"Printed and photographed held-out ECG {query.Metadata.Id} ({query.Metadata.Report}) as {photo}");
}

CaseSearchResult byPhoto = system.Search(photo, k: 5);      // .png/.jpg → digitised → signal view
var d = byPhoto.Digitization!;
Console.WriteLine($"Digitised: rotation {d.RotationDegrees:F1}°, {d.PixelsPerMillimeter:F2} px/mm, confidence {d.Confidence:F2}");
foreach (var w in d.Warnings)
{
    Console.WriteLine($"  warning: {w}");
}

Console.WriteLine("Most similar past cases (photo):");
foreach (var c in byPhoto.Cases)
{
    Console.WriteLine($"  {c.Score:F3} {c.Id,-5} [{string.Join(",", c.Superclasses)}] {c.Report}");
}

Console.WriteLine(byPhoto.DraftReport);
if (args.Length == 0)
{
    var bySignal = system.Search(query, k: 5);
    int shared = byPhoto.Cases.Select(c => c.Id).Intersect(bySignal.Cases.Select(c => c.Id)).Count();
    Console.WriteLine($"The signal of the same ECG retrieves {shared} of these 5 cases.");
}
