namespace EcgVision.Imaging.Rendering;

/// <summary>The pixel rectangle that holds one plotted lead segment of a rendered paper ECG.</summary>
/// <remarks>
/// Coordinates are in pixels of the rendered image, origin top-left, x to the right, y down; the rectangle spans
/// <c>[X, X + Width)</c> × <c>[Y, Y + Height)</c>. It is the tight box around the ink of the trace (the extreme sample values plus half
/// the line width), not the whole grid cell, and excludes the label and the calibration pulse. The record is plain data and serialises
/// with <c>System.Text.Json</c> as <c>{"Lead":"II","X":…,"Y":…,"Width":…,"Height":…,"IsRhythmStrip":false}</c>.
/// </remarks>
/// <param name="Lead">The lead name in standard spelling (e.g. <c>aVR</c>).</param>
/// <param name="X">Left edge in pixels.</param>
/// <param name="Y">Top edge in pixels.</param>
/// <param name="Width">Width in pixels (at least 1).</param>
/// <param name="Height">Height in pixels (at least 1).</param>
/// <param name="IsRhythmStrip"><see langword="true"/> for the long rhythm strip at the bottom of the page.</param>
public sealed record LeadBoundingBox(string Lead, int X, int Y, int Width, int Height, bool IsRhythmStrip = false);
