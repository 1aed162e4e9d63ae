// 02-RenderPaperEcg: print a 12-lead ECG the way a cart does, then make it look like a phone photo of the printout.
//
// Idea: many archived ECGs exist only on paper. Rendering signals onto the clinical 3x4 grid (25 mm/s, 10 mm/mV,
// calibration pulse, rhythm strip) gives image/report pairs for models that must read printouts, and random
// photo/scan artefacts (rotation, perspective, creases, uneven light, blur, noise, JPEG) make them robust.
//
// API choice: PaperEcgRenderer is constructed once from an immutable PaperEcgRenderOptions (validated there) and
// renders any number of records; PaperEcgAugmenter is a separate step, so one clean render can yield many seeded,
// reproducible "photos". Both return a PaperEcgImage (RGBA pixels + lead bounding boxes) that saves itself atomically.
using EcgVision.Imaging.Rendering;
using EcgVision.Signals.Synthetic;

// 500 Hz gives smooth traces at print resolution; the condition is visible in V1 (rSR') and the wide QRS.
var ecg = SyntheticEcg.Generate(
    SyntheticEcgSpec.Of(SyntheticCondition.RightBundleBranchBlock) with { HeartRate = 65, Age = 64 },
    seed: 11,
    new SyntheticEcgOptions { SamplingRate = 500 });
Console.WriteLine($"Report: {ecg.Record.Metadata.Report}");

var renderer = new PaperEcgRenderer(new PaperEcgRenderOptions
{
    Dpi = 150,
    Paper = PaperSize.A4Landscape,
    HeaderText = $"Synthetic ECG #{ecg.Seed} - {ecg.Record.Metadata.Report}",
});
Directory.CreateDirectory("out");

PaperEcgImage clean = renderer.Render(ecg.Record);
clean.SavePng(Path.Combine("out", "02-paper-clean.png"));
clean.SaveLeadBoxesJson(Path.Combine("out", "02-paper-clean.leads.json"));
Console.WriteLine($"clean   {clean.Width}x{clean.Height} px at {clean.Dpi} dpi, {clean.LeadBoxes.Count} lead boxes -> out/02-paper-clean.png");
foreach (var box in clean.LeadBoxes.Take(3))
{
    Console.WriteLine($"        {box}");
}

// Same printout, photographed: each seed gives a different but reproducible set of artefacts.
var augmenter = new PaperEcgAugmenter(PaperEcgAugmentationOptions.Strong);
for (int seed = 1; seed <= 2; seed++)
{
    PaperEcgImage photo = augmenter.Augment(clean, seed);
    string path = Path.Combine("out", $"02-paper-photo-{seed}.png");
    photo.SavePng(path);
    Console.WriteLine($"photo   {photo.Width}x{photo.Height} px (seed {seed}) -> {path}");
}

Console.WriteLine("Wrote 3 printouts to ./out");
