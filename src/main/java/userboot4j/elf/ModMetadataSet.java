package userboot4j.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import userboot4j.BootException;

/**
 * Reads the records of {@code set_modmetadata_set} the way the FreeBSD loader does: in an executable
 * kernel through the dynamic symbols {@code __start_set_modmetadata_set} / {@code __stop_…} and virtual
 * addresses; in a relocatable module through the set's section, where every pointer is only meaningful
 * after applying the relocations that cover it, against the section addresses the loader chose.
 */
public final class ModMetadataSet {
    static final String SET_SECTION = "set_modmetadata_set";
    static final String START = "__start_set_modmetadata_set";
    static final String STOP = "__stop_set_modmetadata_set";

    /** Where pointers lead: reads at addresses, and pointer relocation. */
    private interface Space {
        byte[] read(long addr, int len) throws BootException;

        /** Bytes from {@code addr} to at most {@code max}, fewer where the containing area ends. */
        byte[] readUpTo(long addr, int max) throws BootException;

        /** True when {@code addr} lies in the file's image (a loaded segment or section). */
        boolean maps(long addr);

        /** Relocates the pointer-sized words of {@code data} that was read at {@code addr}. */
        void relocate(long addr, byte[] data) throws BootException;
    }

    private ModMetadataSet() {
    }

    public static List<ModMetadata> ofExecutable(ElfFile elf) throws BootException {
        Optional<DynamicSection> dyn = elf.dynamic();
        if (dyn.isEmpty()) {
            return List.of();
        }
        Optional<Symbol> start = dyn.get().lookup(START);
        if (start.isEmpty()) {
            return List.of();
        }
        Optional<Symbol> stop = dyn.get().lookup(STOP);
        if (stop.isEmpty()) {
            throw new BootException.InvalidFormat(elf.file().path() + ": " + START + " without " + STOP);
        }
        Space space = new Space() {
            @Override
            public byte[] read(long addr, int len) throws BootException {
                return elf.readVirtual(addr, len);
            }

            @Override
            public byte[] readUpTo(long addr, int max) throws BootException {
                for (ProgramHeader p : elf.programHeaders()) {
                    long off = addr - p.vaddr();
                    if (p.type() == ProgramHeader.PT_LOAD && Long.compareUnsigned(off, p.memsz()) < 0) {
                        return elf.readVirtual(addr, (int) Math.min(max, p.memsz() - off));
                    }
                }
                return elf.readVirtual(addr, 1);
            }

            @Override
            public boolean maps(long addr) {
                for (ProgramHeader p : elf.programHeaders()) {
                    if (p.type() == ProgramHeader.PT_LOAD && Long.compareUnsigned(addr - p.vaddr(), p.memsz()) < 0) {
                        return true;
                    }
                }
                return false;
            }

            @Override
            public void relocate(long addr, byte[] data) {
                // Kernels are linked at their final addresses: nothing to relocate.
            }
        };
        return parse(elf, space, start.get().value(), stop.get().value());
    }

    public static List<ModMetadata> ofObject(ElfFile elf, long[] sectionAddr) throws BootException {
        Optional<SectionHeader> set = elf.sections().stream()
                .filter(s -> s.type() == SectionHeader.SHT_PROGBITS && s.name().equals(SET_SECTION)).findFirst();
        if (set.isEmpty()) {
            return List.of();
        }
        if (sectionAddr.length != elf.sections().size() || sectionAddr[set.get().index()] == 0) {
            throw new BootException.InvalidFormat(elf.file().path() + ": section " + SET_SECTION + " was not loaded");
        }
        ObjectSpace space = new ObjectSpace(elf, sectionAddr);
        long start = sectionAddr[set.get().index()];
        return parse(elf, space, start, start + set.get().size());
    }

    private static List<ModMetadata> parse(ElfFile elf, Space space, long start, long stop) throws BootException {
        boolean is64 = elf.header().is64();
        int ptr = is64 ? 8 : 4;
        int mdSize = 8 + 2 * ptr;
        if (Long.compareUnsigned(stop, start) < 0 || stop - start > ElfFile.MAX_READ) {
            throw new BootException.InvalidFormat(String.format("%s: %s runs from 0x%x to 0x%x",
                    elf.file().path(), SET_SECTION, start, stop));
        }
        List<ModMetadata> out = new ArrayList<>();
        for (long p = start; Long.compareUnsigned(p + ptr, stop) <= 0; p += ptr) {
            byte[] slot = space.read(p, ptr);
            space.relocate(p, slot);
            long v = word(slot, 0, is64);
            byte[] md = space.read(v, mdSize);
            space.relocate(v, md);
            ByteBuffer b = ByteBuffer.wrap(md).order(ByteOrder.LITTLE_ENDIAN);
            int type = b.getInt(4);
            long data = word(md, 8, is64);
            long cval = word(md, 8 + ptr, is64);
            switch (type) {
                case ModMetadata.MDT_DEPEND -> {
                    ByteBuffer d = ByteBuffer.wrap(space.read(data, 12)).order(ByteOrder.LITTLE_ENDIAN);
                    out.add(new ModMetadata.Depend(name(elf, space, cval), d.getInt(0), d.getInt(4), d.getInt(8)));
                }
                case ModMetadata.MDT_VERSION -> {
                    int version = ByteBuffer.wrap(space.read(data, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
                    out.add(new ModMetadata.Version(name(elf, space, cval), version));
                }
                case ModMetadata.MDT_MODULE -> out.add(new ModMetadata.Module(name(elf, space, cval)));
                case ModMetadata.MDT_PNP_INFO -> out.add(new ModMetadata.PnpInfo(name(elf, space, cval),
                        () -> pnpTable(elf, space, data)));
                default -> { }
            }
        }
        return out;
    }

    private static long word(byte[] b, int at, boolean is64) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        return is64 ? bb.getLong(at) : bb.getInt(at) & 0xffffffffL;
    }

    /** A module name: NUL-terminated within MAXMODNAME bytes, as the loader's buffer holds it. */
    private static String name(ElfFile elf, Space space, long addr) throws BootException {
        return string(elf, space, addr, ModMetadata.MAXMODNAME, "module name");
    }

    private static String string(ElfFile elf, Space space, long addr, int max, String what) throws BootException {
        byte[] b = space.readUpTo(addr, max);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return new String(b, 0, i, StandardCharsets.ISO_8859_1);
            }
        }
        throw new BootException.InvalidFormat(String.format(
                "%s: %s at 0x%x is not NUL-terminated within %d bytes", elf.file().path(), what, addr, max));
    }

    /**
     * {@code struct mod_pnp_match_info} at {@code addr} (descr, bus, table pointers, then entry_len and
     * num_entry), its description, and its table with the table's pointers relocated.
     */
    private static PnpTable pnpTable(ElfFile elf, Space space, long addr) throws BootException {
        boolean is64 = elf.header().is64();
        int ptr = is64 ? 8 : 4;
        byte[] info = space.read(addr, 3 * ptr + 8);
        space.relocate(addr, info);
        ByteBuffer b = ByteBuffer.wrap(info).order(ByteOrder.LITTLE_ENDIAN);
        int entryLen = b.getInt(3 * ptr);
        int numEntry = b.getInt(3 * ptr + 4);
        long table = word(info, 2 * ptr, is64);
        if (entryLen < 0 || numEntry < 0 || (long) entryLen * numEntry > ElfFile.MAX_READ) {
            throw new BootException.InvalidFormat(String.format("%s: PNP table at 0x%x claims %d entries of %d bytes",
                    elf.file().path(), table, numEntry, entryLen));
        }
        String descr = string(elf, space, word(info, 0, is64), PnpTable.DESCR_MAX, "PNP table description");
        byte[] entries = new byte[entryLen * numEntry];
        if (entries.length > 0) {
            entries = space.read(table, entries.length);
            space.relocate(table, entries);
        }
        return new PnpTable(descr, entryLen, numEntry, entries, ptr,
                (a, max) -> space.maps(a) ? string(elf, space, a, max, "PNP table string") : null);
    }

    /** A relocatable object's sections at the addresses the loader gave them. */
    private static final class ObjectSpace implements Space {
        private final ElfFile elf;
        private final long[] addr;
        private final List<SectionHeader> sections;
        private List<Symbol> symbols;
        /** Each relocation section's entries, decoded once: every metadata read applies them. */
        private final java.util.Map<Integer, List<Relocation>> relocations = new java.util.HashMap<>();

        ObjectSpace(ElfFile elf, long[] addr) {
            this.elf = elf;
            this.addr = addr;
            this.sections = elf.sections();
        }

        private SectionHeader containing(long a, long len) throws BootException {
            for (SectionHeader s : sections) {
                long base = addr[s.index()];
                if (base != 0 && Long.compareUnsigned(a - base, s.size()) < 0
                        && Long.compareUnsigned(len, s.size() - (a - base)) <= 0) {
                    return s;
                }
            }
            throw new BootException.InvalidFormat(String.format(
                    "%s: module metadata points to 0x%x (+%d), outside every loaded section", elf.file().path(), a, len));
        }

        @Override
        public boolean maps(long a) {
            for (SectionHeader s : sections) {
                long base = addr[s.index()];
                if (base != 0 && Long.compareUnsigned(a - base, s.size()) < 0) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public byte[] read(long a, int len) throws BootException {
            SectionHeader s = containing(a, len);
            if (!s.hasFileBytes()) {
                return new byte[len];
            }
            long off = a - addr[s.index()];
            return elf.file().readFully(s.offset() + off, len).array();
        }

        @Override
        public byte[] readUpTo(long a, int max) throws BootException {
            SectionHeader s = containing(a, 1);
            return read(a, (int) Math.min(max, s.size() - (a - addr[s.index()])));
        }

        /** The amd64 relocator of stand/common/reloc_elf.c, applied to a copy of loaded bytes. */
        @Override
        public void relocate(long a, byte[] data) throws BootException {
            if (elf.header().machine() != ElfHeader.EM_X86_64) {
                throw new BootException.Unsupported(elf.file().path() + ": relocating module metadata for machine "
                        + elf.header().machine() + " is not supported");
            }
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            for (SectionHeader rs : sections) {
                if (rs.type() != SectionHeader.SHT_REL && rs.type() != SectionHeader.SHT_RELA) {
                    continue;
                }
                if (rs.info() <= 0 || rs.info() >= sections.size()) {
                    continue;
                }
                SectionHeader target = sections.get(rs.info());
                long base = addr[target.index()];
                if (base == 0 || addr[rs.index()] == 0 || Long.compareUnsigned(a, base) < 0
                        || Long.compareUnsigned(a + data.length, base + target.size()) > 0) {
                    continue;
                }
                List<Relocation> entries = relocations.get(rs.index());
                if (entries == null) {
                    entries = elf.relocations(rs);
                    relocations.put(rs.index(), entries);
                }
                for (Relocation r : entries) {
                    long where = base + r.offset() - a;
                    if (where < 0 || where >= data.length) {
                        continue;
                    }
                    apply(r, b, (int) where, base, rs);
                }
            }
        }

        private void apply(Relocation r, ByteBuffer b, int where, long base, SectionHeader rs) throws BootException {
            switch (r.type()) {
                case Relocation.R_X86_64_NONE, Relocation.R_X86_64_IRELATIVE -> { }
                case Relocation.R_X86_64_64, Relocation.R_X86_64_RELATIVE -> {
                    if (where + 8 > b.capacity()) {
                        throw new BootException.InvalidFormat(String.format(
                                "%s: relocation at 0x%x in section %s straddles the end of the value it changes",
                                elf.file().path(), r.offset(), rs.name()));
                    }
                    long addend = r.hasAddend() ? r.addend() : b.getLong(where);
                    if (r.type() == Relocation.R_X86_64_RELATIVE) {
                        b.putLong(where, base + addend);
                        return;
                    }
                    long s = symbolAddress(r.symbol(), rs);
                    if (s == 0) {
                        throw new BootException.InvalidFormat(String.format(
                                "%s: relocation at 0x%x in section %s refers to undefined symbol %d (%s)",
                                elf.file().path(), r.offset(), rs.name(), r.symbol(), symbolName(r.symbol())));
                    }
                    b.putLong(where, s + addend);
                }
                // worded as the loader's elf_reloc message, which ends its console line
                default -> throw new BootException.Unsupported(String.format(
                        "%s (module metadata, section %s, offset 0x%x): unhandled relocation type %d",
                        elf.file().path(), rs.name(), r.offset(), r.type()));
            }
        }

        private List<Symbol> symbols() throws BootException {
            if (symbols == null) {
                SectionHeader symtab = sections.stream().filter(s -> s.type() == SectionHeader.SHT_SYMTAB)
                        .findFirst().orElseThrow(() -> new BootException.InvalidFormat(
                                elf.file().path() + ": no symbol table"));
                symbols = elf.symbols(symtab);
            }
            return symbols;
        }

        /** A defined symbol's address: its section's load address plus its value; 0 when it has none. */
        private long symbolAddress(int index, SectionHeader rs) throws BootException {
            List<Symbol> syms = symbols();
            if (index < 0 || index >= syms.size()) {
                return 0;
            }
            Symbol s = syms.get(index);
            if (s.shndx() == Symbol.SHN_UNDEF || s.shndx() >= sections.size() || addr[s.shndx()] == 0) {
                return 0;
            }
            return addr[s.shndx()] + s.value();
        }

        private String symbolName(int index) throws BootException {
            List<Symbol> syms = symbols();
            return index >= 0 && index < syms.size() ? syms.get(index).name() : "?";
        }
    }
}
