package userboot4j.elf;

import java.nio.ByteBuffer;

/** A program header (Elf32_Phdr / Elf64_Phdr). */
public record ProgramHeader(int type, int flags, long offset, long vaddr, long paddr, long filesz, long memsz,
        long align) {
    public static final int PT_LOAD = 1;
    public static final int PT_DYNAMIC = 2;
    public static final int PF_W = 2;
    static final int SIZE32 = 32;
    static final int SIZE64 = 56;

    static ProgramHeader decode(ByteBuffer b, int at, boolean is64) {
        if (is64) {
            return new ProgramHeader(b.getInt(at), b.getInt(at + 4), b.getLong(at + 8), b.getLong(at + 16),
                    b.getLong(at + 24), b.getLong(at + 32), b.getLong(at + 40), b.getLong(at + 48));
        }
        return new ProgramHeader(b.getInt(at), b.getInt(at + 24), u32(b, at + 4), u32(b, at + 8), u32(b, at + 12),
                u32(b, at + 16), u32(b, at + 20), u32(b, at + 28));
    }

    static long u32(ByteBuffer b, int at) {
        return b.getInt(at) & 0xffffffffL;
    }
}
