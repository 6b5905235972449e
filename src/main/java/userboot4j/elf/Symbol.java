package userboot4j.elf;

/** A symbol table entry (Elf32_Sym / Elf64_Sym). */
public record Symbol(int index, String name, long value, long size, int info, int other, int shndx) {
    public static final int SHN_UNDEF = 0;
    public static final int SHN_LORESERVE = 0xff00;
    public static final int SHN_ABS = 0xfff1;
    static final int SIZE32 = 16;
    static final int SIZE64 = 24;
}
