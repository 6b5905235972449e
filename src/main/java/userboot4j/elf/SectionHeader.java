package userboot4j.elf;

import java.nio.ByteBuffer;

/** A section header (Elf32_Shdr / Elf64_Shdr) with its index and resolved name. */
public record SectionHeader(int index, String name, int type, long flags, long addr, long offset, long size,
        int link, int info, long addralign, long entsize) {
    public static final int SHT_NULL = 0;
    public static final int SHT_PROGBITS = 1;
    public static final int SHT_SYMTAB = 2;
    public static final int SHT_STRTAB = 3;
    public static final int SHT_RELA = 4;
    public static final int SHT_HASH = 5;
    public static final int SHT_DYNAMIC = 6;
    public static final int SHT_NOBITS = 8;
    public static final int SHT_REL = 9;
    public static final int SHT_DYNSYM = 11;
    public static final int SHT_X86_64_UNWIND = 0x70000001;
    public static final long SHF_ALLOC = 0x2;
    static final int SIZE32 = 40;
    static final int SIZE64 = 64;

    /** Decodes everything but the name; {@code nameOffset} is returned through the name field's slot later. */
    static SectionHeader decode(ByteBuffer b, int at, int index, boolean is64, String name) {
        if (is64) {
            return new SectionHeader(index, name, b.getInt(at + 4), b.getLong(at + 8), b.getLong(at + 16),
                    b.getLong(at + 24), b.getLong(at + 32), sectionIndex(b, at + 40), sectionIndex(b, at + 44),
                    b.getLong(at + 48), b.getLong(at + 56));
        }
        return new SectionHeader(index, name, b.getInt(at + 4), ProgramHeader.u32(b, at + 8), ProgramHeader.u32(b, at + 12),
                ProgramHeader.u32(b, at + 16), ProgramHeader.u32(b, at + 20), sectionIndex(b, at + 24),
                sectionIndex(b, at + 28), ProgramHeader.u32(b, at + 32), ProgramHeader.u32(b, at + 36));
    }

    /**
     * sh_link or sh_info, an unsigned word that names a section: one past 2^31 can name none, so it is kept
     * as Integer.MAX_VALUE, out of range for every table, rather than as a negative index.
     */
    private static int sectionIndex(ByteBuffer b, int at) {
        int v = b.getInt(at);
        return v < 0 ? Integer.MAX_VALUE : v;
    }

    static int nameOffset(ByteBuffer b, int at) {
        return b.getInt(at);
    }

    /** True when the section's bytes lie in the file (NOBITS sections have none). */
    public boolean hasFileBytes() {
        return type != SHT_NOBITS && type != SHT_NULL;
    }
}
