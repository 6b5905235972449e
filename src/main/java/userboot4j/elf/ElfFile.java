package userboot4j.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import userboot4j.BootException;
import userboot4j.fs.FileData;

/**
 * An ELF32 or ELF64 little-endian file: header, program headers, section headers with their names, and
 * readers for section contents, symbols, relocations and the dynamic section. Every offset, size and count
 * taken from the file is checked against the file before it is used; a bad one ends in
 * {@link BootException.InvalidFormat} naming the file, the structure and its offset.
 */
public final class ElfFile {
    /** Largest table or section read into memory at once; more is not a sane kernel or module. */
    static final long MAX_READ = 1L << 30;

    private final FileData file;
    private final ElfHeader header;
    private final List<ProgramHeader> programHeaders;
    private final List<SectionHeader> sections;
    private final byte[] sectionHeaderTable;
    /**
     * The last file pages readVirtual read, by start offset, least recently used first: walking a kernel's
     * module metadata and dynamic symbols makes thousands of small reads in a few places of the file.
     */
    private final java.util.LinkedHashMap<Long, byte[]> windows = new java.util.LinkedHashMap<>(16, 0.75f, true);
    private static final int WINDOW = 4 << 10;
    private static final int WINDOWS = 64;

    private ElfFile(FileData file, ElfHeader header, List<ProgramHeader> phdrs, List<SectionHeader> sections,
            byte[] shdrTable) {
        this.file = file;
        this.header = header;
        this.programHeaders = phdrs;
        this.sections = sections;
        this.sectionHeaderTable = shdrTable;
    }

    public static ElfFile read(FileData file) throws BootException {
        String path = file.path();
        if (file.size() < ElfHeader.EI_NIDENT) {
            throw bad(path, 0, "file of " + file.size() + " bytes is too short for an ELF header");
        }
        ByteBuffer ident = file.readFully(0, ElfHeader.EI_NIDENT);
        if (ident.getInt(0) != 0x464c457f) {
            throw bad(path, 0, "not an ELF file (bad magic)");
        }
        int cls = ident.get(4);
        if (cls != ElfHeader.ELFCLASS32 && cls != ElfHeader.ELFCLASS64) {
            throw bad(path, 4, "unknown ELF class " + cls);
        }
        if (ident.get(5) != ElfHeader.ELFDATA2LSB) {
            throw new BootException.Unsupported(path + ": big-endian or unknown ELF data encoding " + ident.get(5));
        }
        if (ident.get(6) != 1) {
            throw bad(path, 6, "ELF identification version " + ident.get(6) + " is not 1");
        }
        boolean is64 = cls == ElfHeader.ELFCLASS64;
        int ehsize = is64 ? ElfHeader.SIZE64 : ElfHeader.SIZE32;
        if (file.size() < ehsize) {
            throw bad(path, 0, "file of " + file.size() + " bytes is too short for an ELF" + (is64 ? 64 : 32)
                    + " header");
        }
        ElfHeader h = ElfHeader.decode(file.readFully(0, ehsize), is64 ? 64 : 32);

        List<ProgramHeader> phdrs = new ArrayList<>();
        if (h.phnum() > 0) {
            int size = is64 ? ProgramHeader.SIZE64 : ProgramHeader.SIZE32;
            if (h.phentsize() != size) {
                throw bad(path, is64 ? 54 : 42, "program header size " + h.phentsize() + " is not " + size);
            }
            ByteBuffer t = table(file, h.phoff(), (long) h.phnum() * size, "program header table");
            for (int i = 0; i < h.phnum(); i++) {
                phdrs.add(ProgramHeader.decode(t, i * size, is64));
            }
        }

        List<SectionHeader> sections = new ArrayList<>();
        byte[] raw = new byte[0];
        if (h.shnum() > 0 && h.shoff() != 0) {
            int size = is64 ? SectionHeader.SIZE64 : SectionHeader.SIZE32;
            if (h.shentsize() != size) {
                throw bad(path, is64 ? 58 : 46, "section header size " + h.shentsize() + " is not " + size);
            }
            ByteBuffer t = table(file, h.shoff(), (long) h.shnum() * size, "section header table");
            raw = t.array();
            if (h.shstrndx() >= h.shnum()) {
                throw bad(path, is64 ? 62 : 50, "section name table index " + h.shstrndx()
                        + " is not below the section count " + h.shnum());
            }
            byte[] names = new byte[0];
            if (h.shstrndx() != 0) {
                SectionHeader s = SectionHeader.decode(t, h.shstrndx() * size, h.shstrndx(), is64, "");
                names = bytes(file, s, "section name table");
            }
            for (int i = 0; i < h.shnum(); i++) {
                int off = SectionHeader.nameOffset(t, i * size);
                String name = string(names, off);
                if (name == null) {
                    throw bad(path, h.shoff() + (long) i * size, "section " + i + " name offset " + off
                            + " is outside the section name table");
                }
                sections.add(SectionHeader.decode(t, i * size, i, is64, name));
            }
        }
        return new ElfFile(file, h, Collections.unmodifiableList(phdrs), Collections.unmodifiableList(sections), raw);
    }

    private static ByteBuffer table(FileData file, long off, long len, String what) throws BootException {
        if (off < 0 || len > MAX_READ || off > file.size() || len > file.size() - off) {
            throw bad(file.path(), off, String.format("%s of 0x%x bytes at 0x%x runs past the end of the file (0x%x)",
                    what, len, off, file.size()));
        }
        return file.readFully(off, (int) len);
    }

    private static byte[] bytes(FileData file, SectionHeader s, String what) throws BootException {
        return table(file, s.offset(), s.size(), what + " (section " + s.index() + ")").array();
    }

    /** The NUL-terminated string at {@code off}; null when it does not start and end inside the table. */
    static String string(byte[] table, long off) {
        if (off == 0 && table.length == 0) {
            return "";
        }
        if (off < 0 || off >= table.length) {
            return null;
        }
        int end = (int) off;
        while (end < table.length && table[end] != 0) {
            end++;
        }
        if (end == table.length) {
            return null; // not NUL-terminated inside its table
        }
        return new String(table, (int) off, end - (int) off, StandardCharsets.ISO_8859_1);
    }

    static BootException bad(String path, long offset, String what) {
        return new BootException.InvalidFormat(String.format("%s: offset 0x%x: %s", path, offset, what));
    }

    public FileData file() {
        return file;
    }

    public ElfHeader header() {
        return header;
    }

    public List<ProgramHeader> programHeaders() {
        return programHeaders;
    }

    public List<SectionHeader> sections() {
        return sections;
    }

    public Optional<SectionHeader> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The raw section header table, e_shnum · e_shentsize bytes. */
    public byte[] sectionHeaderTable() {
        return sectionHeaderTable.clone();
    }

    /** The bytes of a section as stored in the file. */
    public byte[] sectionData(SectionHeader s) throws BootException {
        if (!s.hasFileBytes()) {
            throw bad(file.path(), s.offset(), "section " + s.index() + " (" + s.name() + ") has no bytes in the file");
        }
        return bytes(file, s, "section " + s.name());
    }

    private int entrySize(SectionHeader s, int size32, int size64, String what) throws BootException {
        int size = header.is64() ? size64 : size32;
        if (s.entsize() != size || s.size() % size != 0) {
            throw bad(file.path(), s.offset(), String.format("%s section %d (%s): entry size %d or size 0x%x does not "
                    + "fit %d-byte entries", what, s.index(), s.name(), s.entsize(), s.size(), size));
        }
        return size;
    }

    public List<Symbol> symbols(SectionHeader symtab) throws BootException {
        int size = entrySize(symtab, Symbol.SIZE32, Symbol.SIZE64, "symbol table");
        if (symtab.link() <= 0 || symtab.link() >= sections.size()) {
            throw bad(file.path(), symtab.offset(), "symbol table " + symtab.index() + " links to no string table ("
                    + symtab.link() + ")");
        }
        byte[] strings = sectionData(sections.get(symtab.link()));
        ByteBuffer b = ByteBuffer.wrap(sectionData(symtab)).order(ByteOrder.LITTLE_ENDIAN);
        List<Symbol> out = new ArrayList<>();
        for (int i = 0; i * size < b.capacity(); i++) {
            out.add(symbol(b, i * size, i, strings));
        }
        return out;
    }

    private Symbol symbol(ByteBuffer b, int at, int index, byte[] strings) throws BootException {
        int nameOff = b.getInt(at);
        String name = string(strings, Integer.toUnsignedLong(nameOff));
        if (name == null) {
            throw bad(file.path(), at, "symbol " + index + " name offset " + Integer.toUnsignedString(nameOff)
                    + " is outside its string table");
        }
        if (header.is64()) {
            return new Symbol(index, name, b.getLong(at + 8), b.getLong(at + 16), b.get(at + 4) & 0xff,
                    b.get(at + 5) & 0xff, b.getShort(at + 6) & 0xffff);
        }
        return new Symbol(index, name, ProgramHeader.u32(b, at + 4), ProgramHeader.u32(b, at + 8),
                b.get(at + 12) & 0xff, b.get(at + 13) & 0xff, b.getShort(at + 14) & 0xffff);
    }

    public List<Relocation> relocations(SectionHeader rel) throws BootException {
        boolean rela = rel.type() == SectionHeader.SHT_RELA;
        if (!rela && rel.type() != SectionHeader.SHT_REL) {
            throw bad(file.path(), rel.offset(), "section " + rel.index() + " is not a relocation section");
        }
        int size = rela ? entrySize(rel, 12, 24, "relocation") : entrySize(rel, 8, 16, "relocation");
        ByteBuffer b = ByteBuffer.wrap(sectionData(rel)).order(ByteOrder.LITTLE_ENDIAN);
        List<Relocation> out = new ArrayList<>();
        for (int at = 0; at < b.capacity(); at += size) {
            if (header.is64()) {
                long info = b.getLong(at + 8);
                out.add(new Relocation(b.getLong(at), (int) info, (int) (info >>> 32), rela ? b.getLong(at + 16) : 0, rela));
            } else {
                long info = ProgramHeader.u32(b, at + 4);
                out.add(new Relocation(ProgramHeader.u32(b, at), (int) (info & 0xff), (int) (info >>> 8),
                        rela ? b.getInt(at + 8) : 0, rela));
            }
        }
        return out;
    }

    /** Bytes at a virtual address of an executable, through its PT_LOAD segments (bss reads as zero). */
    public byte[] readVirtual(long vaddr, int len) throws BootException {
        for (ProgramHeader p : programHeaders) {
            if (p.type() != ProgramHeader.PT_LOAD) {
                continue;
            }
            long off = vaddr - p.vaddr();
            if (Long.compareUnsigned(off, p.memsz()) < 0 && Long.compareUnsigned(len, p.memsz() - off) <= 0) {
                byte[] out = new byte[len];
                long inFile = Math.max(0, Math.min(len, p.filesz() - off));
                if (inFile > 0) {
                    fileBytes(p.offset() + off, out, (int) inFile);
                }
                return out;
            }
        }
        throw new BootException.InvalidFormat(String.format("%s: virtual address 0x%x (+0x%x) is not inside a PT_LOAD segment",
                file.path(), vaddr, len));
    }

    /** {@code len} bytes of the file at {@code off} into {@code out}, through a window when they fit in one. */
    private void fileBytes(long off, byte[] out, int len) throws BootException {
        long start = off & -WINDOW;
        if (off < 0 || off + len > start + WINDOW || off + len > file.size()) {
            table(file, off, len, "segment data").get(out, 0, len);
            return;
        }
        byte[] w = windows.get(start);
        if (w == null) {
            w = table(file, start, Math.min(WINDOW, file.size() - start), "segment data").array();
            windows.put(start, w);
            if (windows.size() > WINDOWS) {
                windows.remove(windows.keySet().iterator().next());
            }
        }
        System.arraycopy(w, (int) (off - start), out, 0, len);
    }

    public Optional<DynamicSection> dynamic() throws BootException {
        for (ProgramHeader p : programHeaders) {
            if (p.type() == ProgramHeader.PT_DYNAMIC) {
                return Optional.of(DynamicSection.read(this, p));
            }
        }
        return Optional.empty();
    }
}
