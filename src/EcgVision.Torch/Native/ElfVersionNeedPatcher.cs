using System.Buffers.Binary;
using System.Text;

namespace EcgVision.Torch.Native;

/// <summary>Reads and rewrites the GNU symbol-versioning sections of a little-endian ELF64 shared library.</summary>
/// <remarks>
/// Only what the TorchSharp loader fix needs: list the version names a library defines (<c>.gnu.version_d</c>),
/// and retarget one version-need entry (<c>.gnu.version_r</c> Vernaux) to another version name that already exists in
/// the library's <c>.dynstr</c>. Sections are found through the section header table and <c>sh_link</c>, never by
/// searching the bytes.
/// </remarks>
internal static class ElfVersionNeedPatcher
{
    private const uint ShtDynSym = 11;
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;

    /// <summary>Returns the version names (e.g. <c>GLIBCXX_3.4.30</c>) that an ELF64 library defines.</summary>
    public static IReadOnlyList<string> ReadDefinedVersions(ReadOnlySpan<byte> elf, string fileName)
    {
        var sections = ReadSections(elf, fileName);
        var names = new List<string>();
        foreach (var verdef in sections.Where(s => s.Type == ShtGnuVerdef))
        {
            var strtab = sections[checked((int)verdef.Link)];
            long offset = verdef.Offset;
            for (int guard = 0; guard < 100_000; guard++)
            {
                // Verdef: vd_version u16, vd_flags u16, vd_ndx u16, vd_cnt u16, vd_hash u32, vd_aux u32, vd_next u32.
                uint aux = U32(elf, offset + 12, fileName);
                uint next = U32(elf, offset + 16, fileName);
                // Verdaux: vda_name u32, vda_next u32. The first names the version itself.
                uint nameOffset = U32(elf, offset + aux, fileName);
                names.Add(ReadString(elf, strtab, nameOffset, fileName));
                if (next == 0)
                {
                    break;
                }

                offset += next;
            }
        }

        return names;
    }

    /// <summary>Whether the library has a version need <paramref name="version"/> on <paramref name="library"/>.</summary>
    public static bool NeedsVersion(ReadOnlySpan<byte> elf, string fileName, string library, string version)
    {
        var sections = ReadSections(elf, fileName);
        foreach (var entry in EnumerateNeeds(elf, sections, fileName))
        {
            if (entry.File == library && entry.Name == version)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Returns a copy of <paramref name="elf"/> in which the Vernaux entry that requires <paramref name="fromVersion"/>
    /// of <paramref name="library"/> names <paramref name="toVersion"/> instead.
    /// </summary>
    /// <param name="elf">The original library bytes (not modified).</param>
    /// <param name="fileName">The library's path, for messages.</param>
    /// <param name="library">The needed library, e.g. <c>libstdc++.so.6</c>.</param>
    /// <param name="fromVersion">The version to retarget, e.g. <c>GLIBCXX_3.4.32</c>.</param>
    /// <param name="toVersion">The version it should name, e.g. <c>GLIBCXX_3.4.30</c>; must already be in <c>.dynstr</c>.</param>
    /// <param name="allowedSymbols">The only dynamic symbols that may be bound to <paramref name="fromVersion"/>.</param>
    /// <exception cref="InvalidDataException">The file is not a library this patch is known to be safe for.</exception>
    public static byte[] RetargetVersionNeed(
        ReadOnlySpan<byte> elf, string fileName, string library, string fromVersion, string toVersion, IReadOnlyCollection<string> allowedSymbols)
    {
        var sections = ReadSections(elf, fileName);
        var matches = EnumerateNeeds(elf, sections, fileName).Where(e => e.File == library && e.Name == fromVersion).ToList();
        if (matches.Count != 1)
        {
            throw new InvalidDataException(
                $"{fileName}: expected exactly one version need '{fromVersion}' on '{library}' in .gnu.version_r (found {matches.Count}).");
        }

        var need = matches[0];
        var dynstr = sections[checked((int)need.StrtabIndex)];

        // Every dynamic symbol bound to the retargeted version index must be one we know is never called.
        var bound = SymbolsWithVersionIndex(elf, sections, need.VersionIndex, fileName);
        var unexpected = bound.Where(s => !allowedSymbols.Contains(s)).ToList();
        if (unexpected.Count > 0)
        {
            throw new InvalidDataException(
                $"{fileName}: symbols bound to {fromVersion} are [{string.Join(", ", bound)}]; only [{string.Join(", ", allowedSymbols)}] may be " +
                "retargeted safely, so this library is not patched.");
        }

        long newName = FindString(elf, dynstr, toVersion);
        if (newName < 0)
        {
            throw new InvalidDataException($"{fileName}: .dynstr has no string '{toVersion}' to retarget {fromVersion} to.");
        }

        byte[] copy = elf.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(checked((int)need.AuxOffset), 4), ElfHash(toVersion));
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(checked((int)need.AuxOffset + 8), 4), checked((uint)newName));
        return copy;
    }

    /// <summary>The System V ELF hash of a symbol or version name.</summary>
    public static uint ElfHash(string name)
    {
        uint h = 0;
        foreach (byte c in System.Text.Encoding.ASCII.GetBytes(name))
        {
            h = (h << 4) + c;
            uint g = h & 0xf0000000;
            if (g != 0)
            {
                h ^= g >> 24;
            }

            h &= ~g;
        }

        return h;
    }

    internal readonly record struct Section(uint Type, long Offset, long Size, uint Link, long EntrySize);

    internal readonly record struct NeedEntry(string File, string Name, long AuxOffset, ushort VersionIndex, uint StrtabIndex, uint Hash);

    internal static Section[] ReadSections(ReadOnlySpan<byte> elf, string fileName)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            throw new InvalidDataException($"{fileName}: not an ELF file (bad magic).");
        }

        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException($"{fileName}: only little-endian ELF64 is supported (class {elf[4]}, data {elf[5]}).");
        }

        long shoff = checked((long)U64(elf, 0x28, fileName));
        int shentsize = U16(elf, 0x3A, fileName);
        int shnum = U16(elf, 0x3C, fileName);
        if (shoff == 0 || shnum == 0 || shentsize < 64)
        {
            throw new InvalidDataException($"{fileName}: no usable section header table (e_shoff {shoff}, e_shnum {shnum}, e_shentsize {shentsize}).");
        }

        var sections = new Section[shnum];
        for (int i = 0; i < shnum; i++)
        {
            long h = shoff + ((long)i * shentsize);
            sections[i] = new Section(
                U32(elf, h + 4, fileName),
                checked((long)U64(elf, h + 0x18, fileName)),
                checked((long)U64(elf, h + 0x20, fileName)),
                U32(elf, h + 0x28, fileName),
                checked((long)U64(elf, h + 0x38, fileName)));
            if (sections[i].Type != 8 /* SHT_NOBITS */ && sections[i].Size > 0 && sections[i].Offset + sections[i].Size > elf.Length)
            {
                throw new InvalidDataException($"{fileName}: section {i} runs past the end of the file (truncated?).");
            }
        }

        foreach (var s in sections)
        {
            if ((s.Type is ShtGnuVerneed or ShtGnuVerdef or ShtDynSym) && s.Link >= shnum)
            {
                throw new InvalidDataException($"{fileName}: sh_link {s.Link} is out of range (e_shnum {shnum}).");
            }
        }

        return sections;
    }

    internal static List<NeedEntry> EnumerateNeeds(ReadOnlySpan<byte> elf, Section[] sections, string fileName)
    {
        var result = new List<NeedEntry>();
        for (int si = 0; si < sections.Length; si++)
        {
            var verneed = sections[si];
            if (verneed.Type != ShtGnuVerneed)
            {
                continue;
            }

            var strtab = sections[checked((int)verneed.Link)];
            long offset = verneed.Offset;
            for (int guard = 0; guard < 100_000; guard++)
            {
                // Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
                int count = U16(elf, offset + 2, fileName);
                string file = ReadString(elf, strtab, U32(elf, offset + 4, fileName), fileName);
                long aux = offset + U32(elf, offset + 8, fileName);
                for (int a = 0; a < count; a++)
                {
                    // Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
                    ushort other = U16(elf, aux + 6, fileName);
                    string name = ReadString(elf, strtab, U32(elf, aux + 8, fileName), fileName);
                    result.Add(new NeedEntry(file, name, aux, other, verneed.Link, U32(elf, aux, fileName)));
                    uint nextAux = U32(elf, aux + 12, fileName);
                    if (nextAux == 0)
                    {
                        break;
                    }

                    aux += nextAux;
                }

                uint next = U32(elf, offset + 12, fileName);
                if (next == 0)
                {
                    break;
                }

                offset += next;
            }
        }

        return result;
    }

    private static List<string> SymbolsWithVersionIndex(ReadOnlySpan<byte> elf, Section[] sections, ushort index, string fileName)
    {
        int dynsymIndex = Array.FindIndex(sections, s => s.Type == ShtDynSym);
        int versymIndex = Array.FindIndex(sections, s => s.Type == ShtGnuVersym);
        if (dynsymIndex < 0 || versymIndex < 0)
        {
            throw new InvalidDataException($"{fileName}: missing .dynsym or .gnu.version section.");
        }

        var dynsym = sections[dynsymIndex];
        var versym = sections[versymIndex];
        var strtab = sections[checked((int)dynsym.Link)];
        long entry = dynsym.EntrySize == 0 ? 24 : dynsym.EntrySize;
        long count = dynsym.Size / entry;
        var names = new List<string>();
        for (long i = 0; i < count; i++)
        {
            if ((U16(elf, versym.Offset + (2 * i), fileName) & 0x7fff) == index)
            {
                names.Add(ReadString(elf, strtab, U32(elf, dynsym.Offset + (i * entry), fileName), fileName));
            }
        }

        return names;
    }

    private static long FindString(ReadOnlySpan<byte> elf, Section strtab, string value)
    {
        var table = elf.Slice(checked((int)strtab.Offset), checked((int)strtab.Size));
        byte[] needle = System.Text.Encoding.ASCII.GetBytes(value + "\0");
        int from = 0;
        while (from < table.Length)
        {
            int hit = table[from..].IndexOf(needle);
            if (hit < 0)
            {
                return -1;
            }

            int at = from + hit;
            // A string-table offset may point into the middle of a longer string; prefer a whole string.
            if (at == 0 || table[at - 1] == 0)
            {
                return at;
            }

            from = at + 1;
        }

        return -1;
    }

    private static string ReadString(ReadOnlySpan<byte> elf, Section strtab, uint offset, string fileName)
    {
        if (offset >= strtab.Size)
        {
            throw new InvalidDataException($"{fileName}: string offset {offset} is outside its string table ({strtab.Size} bytes).");
        }

        var table = elf.Slice(checked((int)(strtab.Offset + offset)), checked((int)(strtab.Size - offset)));
        int end = table.IndexOf((byte)0);
        if (end < 0)
        {
            throw new InvalidDataException($"{fileName}: unterminated string at offset {offset} of a string table.");
        }

        return System.Text.Encoding.ASCII.GetString(table[..end]);
    }

    private static ushort U16(ReadOnlySpan<byte> elf, long offset, string fileName) =>
        BinaryPrimitives.ReadUInt16LittleEndian(Slice(elf, offset, 2, fileName));

    private static uint U32(ReadOnlySpan<byte> elf, long offset, string fileName) =>
        BinaryPrimitives.ReadUInt32LittleEndian(Slice(elf, offset, 4, fileName));

    private static ulong U64(ReadOnlySpan<byte> elf, long offset, string fileName) =>
        BinaryPrimitives.ReadUInt64LittleEndian(Slice(elf, offset, 8, fileName));

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> elf, long offset, int length, string fileName)
    {
        if (offset < 0 || offset + length > elf.Length)
        {
            throw new InvalidDataException($"{fileName}: read of {length} bytes at offset {offset} is past the end of the file ({elf.Length} bytes).");
        }

        return elf.Slice((int)offset, length);
    }
}
