package userboot4j.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import userboot4j.BootException;
import userboot4j.elf.DynamicSection;
import userboot4j.elf.ElfFile;
import userboot4j.elf.ElfHeader;
import userboot4j.elf.ModMetadata;
import userboot4j.elf.ModMetadataSet;
import userboot4j.elf.ProgramHeader;
import userboot4j.elf.SectionHeader;

/**
 * Loads an executable ELF kernel the way load_elf.c does: every PT_LOAD at its virtual address made
 * physical by the kernel's offset, bss cleared, the symbol table and its strings appended after the image
 * (each preceded by its size), and SHDR, CTORS, SSYM/ESYM, DYNAMIC and ELFHDR metadata. ELF64 (amd64)
 * and ELF32 (i386) differ in the offset's mask and in the width of sizes and addresses in the metadata.
 */
final class ElfKernelLoader {
    /** The loader reads the first page of the file and needs the program headers inside it. */
    static final int FIRST_PAGE = 4096;
    private static final long PAGE_MASK = 0xfff;
    private static final int COPY_CHUNK = 1 << 20;

    private ElfKernelLoader() {
    }

    static PreloadedFile load(Loader ctx, String path, ElfFile elf) throws BootException {
        ElfHeader h = elf.header();
        if (ctx.findFile(null, PreloadedFile.ELF_KERNEL) != null) {
            throw new BootException.Config(path + ": a kernel is already loaded");
        }
        long dest = h.entry() & ~PAGE_MASK;
        if (dest == 0) {
            throw new BootException.InvalidFormat(String.format(
                    "%s: entry point 0x%x lies in the first page", path, h.entry()));
        }
        // Kernel virtual addresses map to physical ones by dropping their 16 MiB-aligned top part.
        long off = -(dest & (h.is64() ? 0xffffffffff000000L : 0xff000000L));
        int word = h.is64() ? 8 : 4;
        long firstLen = Math.min(FIRST_PAGE, elf.file().size());
        if (Long.compareUnsigned(h.phoff() + (long) h.phnum() * h.phentsize(), firstLen) > 0) {
            throw new BootException.InvalidFormat(path + ": program headers are not within the first page");
        }

        long firstaddr = 0;
        long lastaddr = 0;
        // the line load_elf.c prints: each segment's size as text or data (+bss), then the symbols' sizes
        StringBuilder line = new StringBuilder(path).append(' ');
        for (ProgramHeader p : elf.programHeaders()) {
            if (p.type() != ProgramHeader.PT_LOAD) {
                continue;
            }
            if ((p.flags() & ProgramHeader.PF_W) == 0) {
                line.append(String.format("text=0x%x ", p.filesz()));
            } else {
                line.append(String.format("data=0x%x", p.filesz()));
                if (Long.compareUnsigned(p.filesz(), p.memsz()) < 0) {
                    line.append(String.format("+0x%x", p.memsz() - p.filesz()));
                }
                line.append(' ');
            }
            long at = p.vaddr() + off;
            copyFromFile(ctx, elf, path, p.offset(), at, p.filesz());
            if (Long.compareUnsigned(p.filesz(), p.memsz()) < 0) {
                zero(ctx, path, at + p.filesz(), p.memsz() - p.filesz());
            }
            if (firstaddr == 0 || Long.compareUnsigned(firstaddr, at) > 0) {
                firstaddr = at;
            }
            if (lastaddr == 0 || Long.compareUnsigned(lastaddr, at + p.memsz()) < 0) {
                lastaddr = at + p.memsz();
            }
        }
        lastaddr = roundup(lastaddr, 8); // sizeof(long) of the amd64 loader, for both classes
        if (firstaddr == 0) {
            throw new BootException.InvalidFormat(path + ": no PT_LOAD segment to load");
        }

        PreloadedFile fp;
        List<SectionHeader> sections = elf.sections();
        Long ssym = null;
        Long esym = null;
        byte[] shdrTable = null;
        if (!sections.isEmpty()) {
            shdrTable = elf.sectionHeaderTable();
            Optional<SectionHeader> ctors = elf.section(".ctors");
            SectionHeader symtab = symbolTable(elf);
            if (symtab != null && symtab.link() < sections.size()) {
                SectionHeader strtab = sections.get(symtab.link());
                long start = lastaddr;
                try {
                    lastaddr = appendSection(ctx, elf, path, symtab, lastaddr, word);
                    lastaddr = appendSection(ctx, elf, path, strtab, lastaddr, word);
                    ssym = start;
                    esym = lastaddr;
                    line.append(String.format("0x%x+0x%x+0x%x+0x%x", word, symtab.size(), word, strtab.size()));
                } catch (BootException.InvalidFormat e) {
                    // load_elf.c skips the symbols when it cannot read them, and boots without.
                    ctx.error(path + ": could not read symbols - skipped! (" + e.getMessage() + ")");
                    lastaddr = start;
                }
            }
            fp = new PreloadedFile(path, PreloadedFile.ELF_KERNEL, firstaddr, lastaddr - firstaddr);
            fp.addMetadata(Metadata.SHDR, shdrTable);
            if (ctors.isPresent()) {
                fp.addMetadata(Metadata.CTORS_ADDR, word(ctors.get().addr(), word));
                fp.addMetadata(Metadata.CTORS_SIZE, word(ctors.get().size(), word));
            }
            if (ssym != null) {
                fp.addMetadata(Metadata.SSYM, word(ssym, word));
                fp.addMetadata(Metadata.ESYM, word(esym, word));
            }
        } else {
            fp = new PreloadedFile(path, PreloadedFile.ELF_KERNEL, firstaddr, lastaddr - firstaddr);
        }
        fp.entry = h.entry();
        fp.elfClass = h.elfClass();
        ctx.message(line.toString());

        Optional<ProgramHeader> dyn = elf.programHeaders().stream()
                .filter(p -> p.type() == ProgramHeader.PT_DYNAMIC).findFirst();
        if (dyn.isPresent()) {
            fp.addMetadata(Metadata.DYNAMIC, word(dyn.get().vaddr(), word));
            recordModules(fp, elf, path);
        }
        fp.addMetadata(Metadata.ELFHDR, h.bytes());
        return fp;
    }

    /** The last SHT_SYMTAB whose bytes are not already inside a PT_LOAD, as load_elf.c picks it. */
    private static SectionHeader symbolTable(ElfFile elf) {
        SectionHeader found = null;
        for (SectionHeader s : elf.sections()) {
            if (s.type() != SectionHeader.SHT_SYMTAB || s.offset() == 0 || s.size() == 0) {
                continue;
            }
            boolean loaded = elf.programHeaders().stream().anyMatch(p -> p.type() == ProgramHeader.PT_LOAD
                    && Long.compareUnsigned(s.offset(), p.offset()) >= 0
                    && Long.compareUnsigned(s.offset() + s.size(), p.offset() + p.filesz()) <= 0);
            if (!loaded) {
                found = s;
            }
        }
        return found;
    }

    /** One section appended after the image: its size (an Elf_Size, word bytes wide), then its bytes. */
    private static long appendSection(Loader ctx, ElfFile elf, String path, SectionHeader s, long at, int word)
            throws BootException {
        ctx.memory().copyin(at, word(s.size(), word));
        at += word;
        copyFromFile(ctx, elf, path, s.offset(), at, s.size());
        return roundup(at + s.size(), word);
    }

    /** A little-endian value of {@code width} bytes (an Elf_Addr or Elf_Size of the file's class). */
    static byte[] word(long value, int width) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
        return java.util.Arrays.copyOf(b.array(), width);
    }

    /**
     * The module records of the kernel's set_modmetadata_set, found through the dynamic symbol table.
     * A kernel whose hash table lacks the set's start symbol fails to load in the C loader.
     */
    private static void recordModules(PreloadedFile fp, ElfFile elf, String path) throws BootException {
        Optional<DynamicSection> dyn = elf.dynamic();
        if (dyn.isEmpty() || !dyn.get().hasSymbolLookup()) {
            return;
        }
        if (dyn.get().lookup("__start_set_modmetadata_set").isEmpty()) {
            throw new BootException.InvalidFormat(path
                    + ": the dynamic symbol table has no __start_set_modmetadata_set");
        }
        boolean any = false;
        for (ModMetadata md : ModMetadataSet.ofExecutable(elf)) {
            if (md instanceof ModMetadata.Version v) {
                fp.addModule(v.name(), v.version());
                any = true;
            }
        }
        if (!any) {
            fp.addModule(fakeModuleName(path), 1);
        }
    }

    /** The module name the loader invents for a file without MDT_VERSION records: its base name. */
    static String fakeModuleName(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1);
        int dot = base.lastIndexOf('.');
        String name = dot < 0 ? base : base.substring(0, dot);
        return name.isEmpty() ? "bad" : name;
    }

    static void copyFromFile(Loader ctx, ElfFile elf, String path, long offset, long at, long len)
            throws BootException {
        if (Long.compareUnsigned(offset, elf.file().size()) > 0
                || Long.compareUnsigned(len, elf.file().size() - offset) > 0) {
            throw new BootException.InvalidFormat(String.format(
                    "%s: 0x%x bytes at file offset 0x%x run past the end of the file (size 0x%x)",
                    path, len, offset, elf.file().size()));
        }
        guestRange(ctx, path, at, len);
        // one buffer for every chunk: fresh memory for each would cost the kernel's size again in page faults
        byte[] chunk = new byte[(int) Math.min(COPY_CHUNK, len)];
        for (long done = 0; done < len; ) {
            int n = (int) Math.min(COPY_CHUNK, len - done);
            elf.file().readFully(offset + done, chunk, n);
            ctx.memory().copyin(at + done, chunk, 0, n);
            done += n;
        }
    }

    static void zero(Loader ctx, String path, long at, long len) throws BootException {
        guestRange(ctx, path, at, len);
        ctx.memory().zero(at, len);
    }

    /** Checks a whole range before the first byte is written, so that the error names the file. */
    private static void guestRange(Loader ctx, String path, long at, long len) throws BootException {
        long gpa = at & userboot4j.memory.GuestMemory.ADDRESS_MASK;
        if (!ctx.memory().accepts(gpa, len)) {
            throw new BootException.GuestMemory(String.format(
                    "%s: 0x%x bytes at guest address 0x%x do not fit in guest memory (lowmem 0x%x)",
                    path, len, gpa, ctx.memory().layout().lowmem()));
        }
    }

    static long roundup(long x, long align) {
        return (x + align - 1) / align * align;
    }
}
