namespace EcgVision.Internal;

/// <summary>Writes files atomically: to a temporary file beside the target, flushed to disk, then renamed over it.</summary>
/// <remarks>A crash at any point leaves either the previous file or the complete new one, never a partial file.</remarks>
public static class AtomicFile
{
    /// <summary>Writes a file atomically through a callback that fills a stream.</summary>
    /// <param name="path">The target file.</param>
    /// <param name="write">Writes the content; the stream is flushed and closed afterwards.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }

            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    /// <summary>Writes bytes atomically.</summary>
    /// <param name="path">The target file.</param>
    /// <param name="bytes">The content.</param>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        byte[] copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    /// <summary>Writes UTF-8 text (no byte-order mark) atomically.</summary>
    /// <param name="path">The target file.</param>
    /// <param name="text">The content.</param>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Write(path, s =>
        {
            using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            w.Write(text);
        });
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>Writes folders atomically: every file goes into a temporary sibling folder, which is then swapped into place.</summary>
/// <remarks>
/// The previous folder (if any) is moved aside first and put back if the swap fails, so a crash leaves either the previous
/// folder or the complete new one under the target name (plus, at worst, a hidden <c>.name.tmp-*</c> or <c>.name.old-*</c> sibling).
/// </remarks>
public static class AtomicDirectory
{
    /// <summary>Writes a folder atomically through a callback that fills a temporary folder.</summary>
    /// <param name="directory">The target folder.</param>
    /// <param name="write">Fills the temporary folder (which exists and is empty) passed to it.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    public static void Write(string directory, Action<string> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(write);
        string target = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        string parent = Path.GetDirectoryName(target)!;
        string name = Path.GetFileName(target);
        Directory.CreateDirectory(parent);
        string temp = Path.Combine(parent, $".{name}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            write(temp);
            string? old = null;
            if (Directory.Exists(target))
            {
                old = Path.Combine(parent, $".{name}.old-{Guid.NewGuid():N}");
                Directory.Move(target, old);
            }

            try
            {
                Directory.Move(temp, target);
            }
            catch when (old is not null && !Directory.Exists(target))
            {
                Directory.Move(old, target); // put the previous folder back
                throw;
            }

            if (old is not null)
            {
                // A memory-mapped file in the old folder may still be open; unlinking is safe on Unix, and elsewhere it is left behind.
                try
                {
                    Directory.Delete(old, recursive: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                }
            }
        }
        catch
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }

            throw;
        }
    }
}
