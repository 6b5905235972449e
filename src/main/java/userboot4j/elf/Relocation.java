package userboot4j.elf;

/** A relocation entry (Elf_Rel or Elf_Rela); {@code addend} is 0 and {@code hasAddend} false for REL. */
public record Relocation(long offset, int type, int symbol, long addend, boolean hasAddend) {
    public static final int R_X86_64_NONE = 0;
    public static final int R_X86_64_64 = 1;
    public static final int R_X86_64_RELATIVE = 8;
    public static final int R_X86_64_IRELATIVE = 37;
}
