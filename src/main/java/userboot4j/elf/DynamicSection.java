package userboot4j.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import userboot4j.BootException;

/**
 * The dynamic section of an executable (PT_DYNAMIC) and symbol lookup through its SysV hash table, which
 * is how the FreeBSD loader finds a kernel's linker sets.
 */
public final class DynamicSection {
    public static final int DT_NULL = 0;
    public static final int DT_HASH = 4;
    public static final int DT_STRTAB = 5;
    public static final int DT_SYMTAB = 6;
    public static final int DT_STRSZ = 10;

    private final ElfFile elf;
    private final Map<Long, Long> entries;

    private DynamicSection(ElfFile elf, Map<Long, Long> entries) {
        this.elf = elf;
        this.entries = entries;
    }

    static DynamicSection read(ElfFile elf, ProgramHeader p) throws BootException {
        int size = elf.header().is64() ? 16 : 8;
        long n = p.filesz() / size;
        if (n > (ElfFile.MAX_READ / size)) {
            throw ElfFile.bad(elf.file().path(), p.offset(), "dynamic section of 0x" + Long.toHexString(p.filesz())
                    + " bytes is too large");
        }
        ByteBuffer b = ByteBuffer.wrap(elf.readVirtual(p.vaddr(), (int) (n * size))).order(ByteOrder.LITTLE_ENDIAN);
        Map<Long, Long> entries = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            long tag = elf.header().is64() ? b.getLong(i * size) : b.getInt(i * size);
            if (tag == DT_NULL) {
                break;
            }
            long val = elf.header().is64() ? b.getLong(i * size + 8) : ProgramHeader.u32(b, i * size + 4);
            entries.putIfAbsent(tag, val);
        }
        return new DynamicSection(elf, entries);
    }

    public OptionalLong get(long tag) {
        Long v = entries.get(tag);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /** True when the hash table, symbol table and string table the loader needs are all there. */
    public boolean hasSymbolLookup() {
        return entries.containsKey((long) DT_HASH) && entries.containsKey((long) DT_SYMTAB)
                && entries.containsKey((long) DT_STRTAB) && entries.getOrDefault((long) DT_STRSZ, 0L) != 0;
    }

    /** The SysV ELF hash of a symbol name. */
    static long hash(byte[] name) {
        long h = 0;
        for (byte c : name) {
            h = (h << 4) + (c & 0xff);
            long g = h & 0xf0000000L;
            if (g != 0) {
                h ^= g >>> 24;
            }
            h &= ~g;
        }
        return h;
    }

    /** Looks {@code name} up through DT_HASH; empty when absent or when the table is incomplete. */
    public Optional<Symbol> lookup(String name) throws BootException {
        if (!hasSymbolLookup()) {
            return Optional.empty();
        }
        long hashtab = entries.get((long) DT_HASH);
        long symtab = entries.get((long) DT_SYMTAB);
        long strtab = entries.get((long) DT_STRTAB);
        long strsz = entries.get((long) DT_STRSZ);
        ByteBuffer head = le(elf.readVirtual(hashtab, 8));
        long nbuckets = head.getInt(0) & 0xffffffffL;
        long nchains = head.getInt(4) & 0xffffffffL;
        if (nbuckets == 0 || nbuckets > ElfFile.MAX_READ / 4 || nchains > ElfFile.MAX_READ / 4) {
            throw ElfFile.bad(elf.file().path(), hashtab, "hash table with " + nbuckets + " buckets and "
                    + nchains + " chains is not usable");
        }
        byte[] want = name.getBytes(StandardCharsets.ISO_8859_1);
        int symSize = elf.header().is64() ? Symbol.SIZE64 : Symbol.SIZE32;
        long i = le(elf.readVirtual(hashtab + 8 + 4 * (hash(want) % nbuckets), 4)).getInt(0) & 0xffffffffL;
        for (long steps = 0; i != 0; steps++) {
            if (i >= nchains || steps > nchains) {
                throw ElfFile.bad(elf.file().path(), hashtab, "hash chain index " + i + " out of range or looping");
            }
            ByteBuffer s = le(elf.readVirtual(symtab + i * symSize, symSize));
            long nameOff = s.getInt(0) & 0xffffffffL;
            if (nameOff + want.length < strsz) {
                byte[] n = elf.readVirtual(strtab + nameOff, want.length + 1);
                if (n[want.length] == 0 && java.util.Arrays.equals(n, 0, want.length, want, 0, want.length)) {
                    long value = elf.header().is64() ? s.getLong(8) : s.getInt(4) & 0xffffffffL;
                    int shndx = s.getShort(elf.header().is64() ? 6 : 14) & 0xffff;
                    return Optional.of(new Symbol((int) i, name, value, 0, 0, 0, shndx));
                }
            }
            i = le(elf.readVirtual(hashtab + 8 + 4 * nbuckets + 4 * i, 4)).getInt(0) & 0xffffffffL;
        }
        return Optional.empty();
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }
}
