package userboot4j.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import userboot4j.BootException;
import userboot4j.elf.ElfFile;
import userboot4j.elf.ElfHeader;
import userboot4j.elf.ModMetadata;
import userboot4j.elf.ModMetadataSet;
import userboot4j.elf.SectionHeader;

/**
 * Loads a relocatable ELF64 module (.ko) the way load_elf_obj.c does: sections laid out one after the
 * other from the next page boundary, each at its own alignment (allocated code and data first, then the
 * symbol table, its strings, the section names and the relocations of allocated sections), the range
 * cleared, the sections read in, and the section header table handed over with the chosen addresses.
 * Relocations are not applied: the kernel's linker does that.
 */
final class ElfObjLoader {
    private static final int SHDR64_SIZE = 64;
    private static final int SH_ADDR_OFFSET = 16;
    private static final long PAGE = 4096;

    private ElfObjLoader() {
    }

    static PreloadedFile load(Loader ctx, String path, ElfFile elf, long loadaddr) throws BootException {
        ElfHeader h = elf.header();
        if (h.shnum() == 0 || h.shoff() == 0 || h.shentsize() != SHDR64_SIZE) {
            throw new BootException.InvalidFormat(path + ": no usable section header table");
        }
        List<SectionHeader> sections = elf.sections();
        long dest = ElfKernelLoader.roundup(loadaddr, PAGE);
        long[] addr = new long[sections.size()];
        long last = dest;

        for (SectionHeader s : sections) {
            if (s.size() == 0 || (s.flags() & SectionHeader.SHF_ALLOC) == 0) {
                continue;
            }
            if (s.type() == SectionHeader.SHT_PROGBITS || s.type() == SectionHeader.SHT_NOBITS
                    || s.type() == SectionHeader.SHT_X86_64_UNWIND) {
                last = place(path, s, addr, last);
            }
        }
        SectionHeader symtab = null;
        for (SectionHeader s : sections) {
            if (s.type() == SectionHeader.SHT_SYMTAB) {
                if (symtab != null) {
                    throw new BootException.InvalidFormat(path + ": more than one symbol table");
                }
                symtab = s;
            }
        }
        if (symtab == null) {
            throw new BootException.InvalidFormat(path + ": no valid symbol table");
        }
        last = place(path, symtab, addr, last);
        SectionHeader strtab = stringTable(path, sections, symtab.link(), "symbol string table");
        last = place(path, strtab, addr, last);
        SectionHeader shstrtab = stringTable(path, sections, h.shstrndx(), "section name table");
        last = place(path, shstrtab, addr, last);
        for (SectionHeader s : sections) {
            if ((s.type() == SectionHeader.SHT_REL || s.type() == SectionHeader.SHT_RELA)
                    && s.info() < sections.size()
                    && (sections.get(s.info()).flags() & SectionHeader.SHF_ALLOC) != 0) {
                last = place(path, s, addr, last);
            }
        }

        ElfKernelLoader.zero(ctx, path, dest, last - dest);
        List<SectionHeader> placed = new ArrayList<>();
        for (SectionHeader s : sections) {
            if (addr[s.index()] != 0 && s.type() != SectionHeader.SHT_NOBITS) {
                placed.add(s);
            }
        }
        placed.sort(Comparator.comparingLong(SectionHeader::offset));
        for (SectionHeader s : placed) {
            ElfKernelLoader.copyFromFile(ctx, elf, path, s.offset(), addr[s.index()], s.size());
        }

        PreloadedFile fp = new PreloadedFile(path, PreloadedFile.ELF_OBJ_MODULE, dest, last - dest);
        fp.addMetadata(Metadata.SHDR, withAddresses(elf.sectionHeaderTable(), addr));
        for (ModMetadata md : ModMetadataSet.ofObject(elf, addr)) {
            if (md instanceof ModMetadata.Depend d) {
                fp.addMetadata(Metadata.DEPLIST, depend(d));
            } else if (md instanceof ModMetadata.Version v) {
                fp.addModule(v.name(), v.version());
            }
        }
        fp.addMetadata(Metadata.ELFHDR, h.bytes());
        return fp;
    }

    private static long place(String path, SectionHeader s, long[] addr, long last) throws BootException {
        long align = s.addralign() == 0 ? 1 : s.addralign();
        if (align < 0 || align > (1L << 30)) {
            throw new BootException.InvalidFormat(String.format(
                    "%s: section %d (%s): alignment 0x%x is not usable", path, s.index(), s.name(), align));
        }
        if (s.size() < 0 || s.size() > (1L << 31)) {
            throw new BootException.InvalidFormat(String.format(
                    "%s: section %d (%s): size 0x%x is larger than guest memory can hold",
                    path, s.index(), s.name(), s.size()));
        }
        long at = ElfKernelLoader.roundup(last, align);
        addr[s.index()] = at;
        return at + s.size();
    }

    private static SectionHeader stringTable(String path, List<SectionHeader> sections, int index, String what)
            throws BootException {
        if (index <= 0 || index >= sections.size() || sections.get(index).type() != SectionHeader.SHT_STRTAB) {
            throw new BootException.InvalidFormat(String.format(
                    "%s: %s (section %d) is not a string table", path, what, index));
        }
        return sections.get(index);
    }

    /** The section header table with every sh_addr replaced by the address chosen here (0 if unplaced). */
    private static byte[] withAddresses(byte[] table, long[] addr) {
        ByteBuffer b = ByteBuffer.wrap(table.clone()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < addr.length; i++) {
            b.putLong(i * SHDR64_SIZE + SH_ADDR_OFFSET, addr[i]);
        }
        return b.array();
    }

    /** A DEPLIST item: struct mod_depend followed by the NUL-terminated module name. */
    private static byte[] depend(ModMetadata.Depend d) {
        byte[] name = d.name().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(12 + name.length + 1).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(d.minimum()).putInt(d.preferred()).putInt(d.maximum()).put(name);
        return b.array();
    }

    static Dependency dependency(byte[] deplist) {
        ByteBuffer b = ByteBuffer.wrap(deplist).order(ByteOrder.LITTLE_ENDIAN);
        String name = new String(deplist, 12, deplist.length - 13, StandardCharsets.UTF_8);
        return new Dependency(name, b.getInt(0), b.getInt(4), b.getInt(8));
    }
}
