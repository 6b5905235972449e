package userboot4j.kldxref;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import userboot4j.BootException;
import userboot4j.elf.ElfFile;
import userboot4j.elf.ElfHeader;
import userboot4j.elf.ModMetadata;
import userboot4j.elf.ModMetadataSet;
import userboot4j.elf.PnpTable;
import userboot4j.elf.SectionHeader;
import userboot4j.fs.DirEntry;
import userboot4j.fs.FileData;
import userboot4j.fs.FileStat;
import userboot4j.fs.host.HostFileSystem;
import userboot4j.loader.LinkerHints;

/**
 * kldxref(8) as FreeBSD 13 has it: for a directory and every directory below it, a {@code linker.hints}
 * of MDT_VERSION, MDT_MODULE and MDT_PNP_INFO records for the amd64 kernels and modules there, files in
 * name order before subdirectories (its fts comparison), symbolic links not followed. A directory with
 * no records gets no file (a stale one is removed). Where kldxref silently drops a damaged module or
 * record, this stops with an error naming it and leaves that directory's linker.hints alone.
 */
public final class KldxrefWriter {
    public static final String HINTS = "linker.hints";
    private static final long MAX_SECTION = 1L << 40;

    private KldxrefWriter() {
    }

    /** Writes (or removes) linker.hints in {@code dir} and each directory below it. */
    public static void run(Path dir) throws BootException {
        HostFileSystem fs = HostFileSystem.open(dir);
        walk(fs, dir, "/");
    }

    private static void walk(HostFileSystem fs, Path dir, String rel) throws BootException {
        List<DirEntry> entries = sorted(fs.readdir(rel));
        byte[] hints = hints(dir, entries);
        Path target = dir.resolve(HINTS);
        try {
            if (hints == null) {
                Files.deleteIfExists(target);
            } else {
                // Whole or not at all: the loader must never see half a file.
                Path tmp = Files.createTempFile(dir, "lhint.", "");
                try {
                    Files.write(tmp, hints);
                    PosixFileAttributeView v = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
                    if (v != null) {
                        v.setPermissions(PosixFilePermissions.fromString("rw-r--r--"));
                    }
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        } catch (IOException e) {
            throw new BootException.Io(target + ": " + e.getMessage(), e);
        }
        for (DirEntry e : entries) {
            if (e.kind() == FileStat.Kind.DIRECTORY) {
                walk(fs, dir.resolve(e.name()), rel + e.name() + "/");
            }
        }
    }

    /** The linker.hints bytes for the files directly in {@code dir}; null when none of them has a record. */
    public static byte[] hints(Path dir) throws BootException {
        return hints(dir, sorted(HostFileSystem.open(dir).readdir("/")));
    }

    /** kldxref walks each directory with fts in strcmp order of the names (readdir's order is the host's). */
    private static List<DirEntry> sorted(List<DirEntry> entries) {
        List<DirEntry> out = new java.util.ArrayList<>(entries);
        out.sort((a, b) -> java.util.Arrays.compareUnsigned(a.name().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.name().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return out;
    }

    private static byte[] hints(Path dir, List<DirEntry> entries) throws BootException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(LinkerHints.VERSION).array());
        int records = 0;
        for (DirEntry e : entries) {
            // Separate debug files carry the same metadata as the module itself.
            if (e.kind() != FileStat.Kind.REGULAR || e.name().endsWith(".debug") || e.name().endsWith(".symbols")) {
                continue;
            }
            try (FileData f = HostFileSystem.openFile(dir.resolve(e.name()), dir.resolve(e.name()).toString())) {
                for (byte[] r : records(f, e.name())) {
                    out.writeBytes(r);
                    records++;
                }
            }
        }
        return records == 0 ? null : out.toByteArray();
    }

    /**
     * The records of one file, in the order of its module metadata set. Files kldxref built for amd64
     * cannot open (not ELF, another class or machine, neither a kernel nor a relocatable module) or that
     * have no metadata set give none.
     */
    private static List<byte[]> records(FileData f, String kldname) throws BootException {
        if (f.size() < ElfHeader.EI_NIDENT) {
            return List.of();
        }
        ByteBuffer ident = f.readFully(0, ElfHeader.EI_NIDENT);
        if (ident.getInt(0) != 0x464c457f || ident.get(4) != ElfHeader.ELFCLASS64
                || ident.get(5) != ElfHeader.ELFDATA2LSB) {
            return List.of();
        }
        ElfFile elf = ElfFile.read(f);
        if (elf.header().machine() != ElfHeader.EM_X86_64) {
            return List.of();
        }
        List<ModMetadata> md = switch (elf.header().type()) {
            case ElfHeader.ET_EXEC -> ModMetadataSet.ofExecutable(elf);
            case ElfHeader.ET_REL -> ModMetadataSet.ofObject(elf, layout(elf));
            default -> List.of();
        };
        byte[] kld = kldname.getBytes(StandardCharsets.UTF_8);
        List<byte[]> out = new ArrayList<>();
        // Only the first MDT_MODULE, and ahead of the rest: it marks where a file's records begin.
        for (ModMetadata m : md) {
            if (m instanceof ModMetadata.Module mod) {
                HintsRecord r = new HintsRecord(f.path());
                r.putInt(ModMetadata.MDT_MODULE);
                r.putString(mod.name());
                r.putString(kld, kldname);
                out.add(r.framed());
                break;
            }
        }
        for (ModMetadata m : md) {
            HintsRecord r = new HintsRecord(f.path());
            if (m instanceof ModMetadata.Version v) {
                r.putInt(ModMetadata.MDT_VERSION);
                r.putString(v.name());
                r.putInt(v.version());
                r.putString(kld, kldname);
            } else if (m instanceof ModMetadata.PnpInfo p) {
                pnp(r, p, f.path());
            } else {
                continue; // MDT_DEPEND is only the loader's business; MDT_MODULE went first
            }
            out.add(r.framed());
        }
        return out;
    }

    private static void pnp(HintsRecord r, ModMetadata.PnpInfo p, String path) throws BootException {
        PnpTable t = p.table();
        String where = path + ": PNP table for bus " + p.name();
        PnpList list = PnpList.parse(t.descr(), t.pointerSize(), where);
        list.checkFits(t, where);
        r.putInt(ModMetadata.MDT_PNP_INFO);
        r.putString(p.name());
        r.putString(list.compact());
        r.putInt(t.numEntry());
        for (int i = 0; i < t.numEntry(); i++) {
            list.writeEntry(r, t, i);
        }
    }

    /**
     * Every section at its own nonzero address, as kldxref's ef_obj lays a module out in memory. Only
     * distinctness matters (pointers are relocated to whatever is chosen), so alignment is not kept, and an
     * absurd size (a damaged header) is capped: reads from that section fail later with a message.
     */
    private static long[] layout(ElfFile elf) {
        long[] addr = new long[elf.sections().size()];
        long at = 1L << 20;
        for (SectionHeader s : elf.sections()) {
            if (s.index() != 0) {
                addr[s.index()] = at;
                long size = s.size() < 0 || s.size() > MAX_SECTION ? MAX_SECTION : Math.max(s.size(), 1);
                at = (at + size + 15) & ~15L;
            }
        }
        return addr;
    }
}
