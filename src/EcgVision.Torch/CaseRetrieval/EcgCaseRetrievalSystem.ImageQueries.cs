using EcgVision.Encoding;
using EcgVision.Imaging.Digitization;
using EcgVision.Imaging.Rendering;
using EcgVision.Retrieval;
using EcgVision.Signals;

namespace EcgVision.Torch.CaseRetrieval;

/// <summary>How <see cref="EcgCaseRetrievalSystem.SearchImage(Stream, int, ImageQueryRoute, RetrievalFilter{string}?)"/> answers a
/// photo or scan of a printed ECG.</summary>
public enum ImageQueryRoute
{
    /// <summary>Digitise the page back to a signal and search the signal view; when the page cannot be digitised (or the signal view's
    /// source cannot encode a digitised record), fall back to a printed-ECG image view if the system has one.</summary>
    Auto,

    /// <summary>Only the digitiser route; its failure is the caller's error.</summary>
    Digitize,

    /// <summary>Only a printed-ECG image view (an <see cref="IEcgImageQuerySource"/>): the learned printout tower.</summary>
    ImageView,
}

public sealed partial class EcgCaseRetrievalSystem
{
    /// <summary>The paper-ECG digitiser image queries use (built from <see cref="EcgCaseRetrievalOptions.Digitizer"/>), or
    /// <see langword="null"/> when the options turn digitising off.</summary>
    public PaperEcgDigitizer? Digitizer { get; }

    /// <summary>Finds similar cases for an image (photo or scan) of a printed 12-lead ECG.</summary>
    /// <param name="image">An encoded PNG or JPEG; read to its end, not disposed.</param>
    /// <param name="k">How many cases to return.</param>
    /// <param name="route">How to answer: by digitising the page and searching the signal view (the default, with fallback to a
    /// printed-ECG view), or through one route only.</param>
    /// <param name="filter">Optional key filter.</param>
    /// <returns>The top cases and a draft report; <see cref="CaseSearchResult.Digitization"/> holds the digitised signal when the
    /// digitiser answered.</returns>
    /// <exception cref="EcgFormatException">The image cannot be decoded, or the digitiser could not read the page and there is no
    /// printed-ECG view to fall back to (<see cref="ImageQueryRoute.Auto"/>) or <paramref name="route"/> is <see cref="ImageQueryRoute.Digitize"/>.</exception>
    /// <exception cref="InvalidOperationException">The route needs something the system lacks (no digitiser, no image view, a signal
    /// source that cannot encode a digitised record); the message lists the views and their source kinds.</exception>
    public CaseSearchResult SearchImage(Stream image, int k = 5, ImageQueryRoute route = ImageQueryRoute.Auto, RetrievalFilter<string>? filter = null) =>
        SearchImageCore(image, k, route, filter, "query image");

    private CaseSearchResult SearchImageCore(Stream image, int k, ImageQueryRoute route, RetrievalFilter<string>? filter, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (route == ImageQueryRoute.ImageView)
        {
            return SearchImageView(image, k, filter);
        }

        // The stream may be needed twice (digitiser, then the image view), so it is buffered within the loader's byte limit.
        byte[] bytes = Imaging.Io.EcgImageLoader.ReadEncoded(image, Options.Digitizer?.LoadOptions, sourceName);
        string? failure = null;
        Exception? digitizerError = null;
        if (Digitizer is { } d)
        {
            try
            {
                var digitized = d.Digitize(new MemoryStream(bytes, writable: false), sourceName);
                if (TrySearchDigitized(digitized, k, filter, out var result, out failure))
                {
                    return result;
                }
            }
            catch (EcgFormatException ex)
            {
                digitizerError = ex;
                failure = ex.Message;
            }
        }
        else
        {
            failure = "digitising is turned off (options.Digitizer is null)";
        }

        if (route == ImageQueryRoute.Auto && HasImageView)
        {
            return SearchImageView(new MemoryStream(bytes, writable: false), k, filter);
        }

        if (digitizerError is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(digitizerError).Throw();
        }

        throw new InvalidOperationException(
            $"The image query '{sourceName}' could not be answered by digitising: {failure}" +
            (route == ImageQueryRoute.Auto ? $" And no view can embed images directly ({DescribeViews()}); add a printed-ECG view (PrintoutImageSource)." : string.Empty));
    }

    /// <summary>Finds similar cases for a printed ECG already in memory (e.g. a rendered page), through the digitiser and the signal view.</summary>
    /// <param name="page">The page image.</param>
    /// <param name="k">How many cases to return.</param>
    /// <param name="filter">Optional key filter.</param>
    /// <returns>The top cases, with <see cref="CaseSearchResult.Digitization"/> set.</returns>
    /// <exception cref="EcgFormatException">The digitiser could not read the page.</exception>
    /// <exception cref="InvalidOperationException">Digitising is turned off, or the signal source cannot encode the digitised record.</exception>
    public CaseSearchResult SearchPrintout(PaperEcgImage page, int k = 5, RetrievalFilter<string>? filter = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var d = Digitizer ?? throw new InvalidOperationException("Digitising is turned off (options.Digitizer is null); set EcgCaseRetrievalOptions.Digitizer.");
        var digitized = d.Digitize(page);
        return TrySearchDigitized(digitized, k, filter, out var result, out string? failure) ? result : throw new InvalidOperationException(failure);
    }

    private bool HasImageView => views.Any(x => x.Source is IEcgImageQuerySource);

    private bool TrySearchDigitized(PaperEcgDigitization digitized, int k, RetrievalFilter<string>? filter, out CaseSearchResult result, out string? failure)
    {
        var v = GetView(SignalView);
        if (digitized.Confidence < Options.MinimumDigitizationConfidence)
        {
            result = null!;
            failure = FormattableString.Invariant(
                $"the digitiser's confidence {digitized.Confidence:0.00} is below options.MinimumDigitizationConfidence {Options.MinimumDigitizationConfidence:0.00} ({string.Join("; ", digitized.Warnings)}).");
            return false;
        }

        float[] encoded;
        try
        {
            encoded = v.Encode(digitized.Record);
        }
        catch (ArgumentException ex)
        {
            result = null!;
            failure = $"the '{SignalView}' view's '{v.Source.Descriptor.Kind}' image source cannot encode the digitised printout " +
                $"(each lead is known only inside its printed window): {ex.Message} The 'qiu' source can.";
            return false;
        }

        result = SearchCore(v, RequireEmbedder(v).EmbedImage(encoded), k, filter) with { Digitization = digitized };
        failure = null;
        return true;
    }

    private CaseSearchResult SearchImageView(Stream image, int k, RetrievalFilter<string>? filter)
    {
        var v = views.FirstOrDefault(x => x.Source is IEcgImageQuerySource) ?? throw new InvalidOperationException(
            $"Image queries through an image view need a view whose image source can embed images (an IEcgImageQuerySource such as the printed-ECG source); this system has {DescribeViews()}. Query with an ECG record file, use ImageQueryRoute.Auto or Digitize, or add a printed-ECG view.");
        var source = (IEcgImageQuerySource)v.Source;
        var (c, h, w) = source.Shape;
        var buffer = new float[c * h * w];
        source.EncodeImage(image, buffer);
        return SearchCore(v, RequireEmbedder(v).EmbedImage(buffer), k, filter);
    }

    private string DescribeViews() => string.Join(", ", views.Select(x => $"'{x.Name}' ({x.Source.Descriptor.Kind})"));
}
