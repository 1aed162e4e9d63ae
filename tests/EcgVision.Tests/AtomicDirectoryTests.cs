using EcgVision.Internal;

namespace EcgVision.Tests;

public sealed class AtomicDirectoryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ecgv-atomicdir-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Write_ReplacesTheFolderWhole_AndLeavesNoTemporarySiblings()
    {
        string target = Path.Combine(_root, "model");
        AtomicDirectory.Write(target, tmp => File.WriteAllText(Path.Combine(tmp, "a.txt"), "1"));
        AtomicDirectory.Write(target, tmp => File.WriteAllText(Path.Combine(tmp, "b.txt"), "2"));

        Directory.GetFiles(target).Select(Path.GetFileName).Should().Equal("b.txt");
        Directory.GetFileSystemEntries(_root).Select(Path.GetFileName).Should().Equal("model");
    }

    [Fact]
    public void Write_FailingWriter_KeepsThePreviousFolder()
    {
        string target = Path.Combine(_root, "model");
        AtomicDirectory.Write(target, tmp => File.WriteAllText(Path.Combine(tmp, "a.txt"), "old"));

        var act = () => AtomicDirectory.Write(target, tmp =>
        {
            File.WriteAllText(Path.Combine(tmp, "a.txt"), "half-written");
            throw new IOException("disk full");
        });

        act.Should().Throw<IOException>().WithMessage("disk full");
        File.ReadAllText(Path.Combine(target, "a.txt")).Should().Be("old");
        Directory.GetFileSystemEntries(_root).Select(Path.GetFileName).Should().Equal("model");
    }
}
