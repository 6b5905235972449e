package userboot4j.elf;

import java.nio.ByteBuffer;

/** The ELF file header (Elf32_Ehdr / Elf64_Ehdr), with its raw bytes for MODINFOMD_ELFHDR. */
public record ElfHeader(int elfClass, int data, int osabi, int type, int machine, long version, long entry,
        long phoff, long shoff, int flags, int ehsize, int phentsize, int phnum, int shentsize, int shnum,
        int shstrndx, byte[] bytes) {
    public static final int EI_NIDENT = 16;
    public static final int ELFCLASS32 = 1;
    public static final int ELFCLASS64 = 2;
    public static final int ELFDATA2LSB = 1;
    public static final int ET_REL = 1;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int EM_386 = 3;
    public static final int EM_X86_64 = 62;
    public static final int SIZE32 = 52;
    public static final int SIZE64 = 64;

    public ElfHeader {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Decodes the header of class 32 or 64 from {@code b} (little-endian, at least the header's size). */
    static ElfHeader decode(ByteBuffer b, int elfClass) {
        byte[] raw = new byte[elfClass == 64 ? SIZE64 : SIZE32];
        b.get(0, raw);
        if (elfClass == 64) {
            return new ElfHeader(64, b.get(5) & 0xff, b.get(7) & 0xff, b.getShort(16) & 0xffff,
                    b.getShort(18) & 0xffff, b.getInt(20) & 0xffffffffL, b.getLong(24), b.getLong(32), b.getLong(40),
                    b.getInt(48), b.getShort(52) & 0xffff, b.getShort(54) & 0xffff, b.getShort(56) & 0xffff,
                    b.getShort(58) & 0xffff, b.getShort(60) & 0xffff, b.getShort(62) & 0xffff, raw);
        }
        return new ElfHeader(32, b.get(5) & 0xff, b.get(7) & 0xff, b.getShort(16) & 0xffff,
                b.getShort(18) & 0xffff, b.getInt(20) & 0xffffffffL, b.getInt(24) & 0xffffffffL,
                b.getInt(28) & 0xffffffffL, b.getInt(32) & 0xffffffffL, b.getInt(36), b.getShort(40) & 0xffff,
                b.getShort(42) & 0xffff, b.getShort(44) & 0xffff, b.getShort(46) & 0xffff, b.getShort(48) & 0xffff,
                b.getShort(50) & 0xffff, raw);
    }

    public boolean is64() {
        return elfClass == 64;
    }
}
