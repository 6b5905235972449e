package userboot4j.kldxref;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
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

    /**
     * kldxref(8)'s options: {@code -R} (fts's FTS_COMFOLLOW: a path that is a symbolic link is followed; the
     * walk goes into subdirectories with or without it), {@code -d} (no hints file: each file's path and its
     * metadata on {@code out}), {@code -v} (each file's path as it is read), {@code -f} (the hints file's name).
     */
    public record Flags(boolean followPaths, boolean dryRun, boolean verbose, String hintsFile) {
    }

    private final Flags flags;
    private final PrintStream out;

    private KldxrefWriter(Flags flags, PrintStream out) {
        this.flags = flags;
        this.out = out;
    }

    /**
     * kldxref's walk of each of {@code paths} in turn. A symbolic link is left alone unless {@code -R} asks
     * for it; a path that is not a directory is only for {@code -d}.
     */
    public static void run(List<Path> paths, Flags flags, PrintStream out) throws BootException {
        KldxrefWriter w = new KldxrefWriter(flags, out);
        for (Path p : paths) {
            if (Files.isSymbolicLink(p) && !flags.followPaths()) {
                continue;
            }
            if (!Files.exists(p)) {
                throw new BootException.NotFound(p + ": no such file or directory");
            }
            if (Files.isDirectory(p)) {
                w.walk(HostFileSystem.open(p), p, "/");
            } else if (flags.dryRun()) {
                w.read(p);
            } else {
                throw new BootException.Usage(p + ": not a directory (kldxref writes hints for directories)");
            }
        }
        out.flush();
    }

    private void walk(HostFileSystem fs, Path dir, String rel) throws BootException {
        List<DirEntry> entries = sorted(fs.readdir(rel));
        List<byte[]> records = new ArrayList<>();
        for (DirEntry e : entries) {
            if (isKldCandidate(e)) {
                records.addAll(read(dir.resolve(e.name())));
            }
        }
        if (!flags.dryRun()) {
            write(dir.resolve(flags.hintsFile()), records.isEmpty() ? null : hints(records));
        }
        for (DirEntry e : entries) {
            if (e.kind() == FileStat.Kind.DIRECTORY) {
                walk(fs, dir.resolve(e.name()), rel + e.name() + "/");
            }
        }
    }

    /** Whole or not at all: the loader must never see half a file. None to write removes a stale one. */
    private static void write(Path target, byte[] hints) throws BootException {
        try {
            if (hints == null) {
                Files.deleteIfExists(target);
                return;
            }
            Path tmp = Files.createTempFile(target.getParent(), "lhint.", "");
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
        } catch (IOException e) {
            throw new BootException.Io(target + ": " + e.getMessage(), e);
        }
    }

    /** The records of one file; its path first with -v or -d, and with -d its metadata as kldxref prints it. */
    private List<byte[]> read(Path file) throws BootException {
        if (flags.verbose() || flags.dryRun()) {
            out.println(file);
        }
        try (FileData f = HostFileSystem.openFile(file, file.toString())) {
            List<ModMetadata> md = metadata(f);
            if (flags.dryRun()) {
                for (ModMetadata m : ordered(md)) {
                    out.println(describe(m));
                }
                return List.of();
            }
            return records(f, md, file.getFileName().toString());
        }
    }

    /** The linker.hints bytes for the files directly in {@code dir}; null when none of them has a record. */
    public static byte[] hints(Path dir) throws BootException {
        List<byte[]> records = new ArrayList<>();
        for (DirEntry e : sorted(HostFileSystem.open(dir).readdir("/"))) {
            if (isKldCandidate(e)) {
                try (FileData f = HostFileSystem.openFile(dir.resolve(e.name()), dir.resolve(e.name()).toString())) {
                    records.addAll(records(f, metadata(f), e.name()));
                }
            }
        }
        return records.isEmpty() ? null : hints(records);
    }

    /** kldxref walks each directory with fts in strcmp order of the names (readdir's order is the host's). */
    private static List<DirEntry> sorted(List<DirEntry> entries) {
        List<DirEntry> out = new java.util.ArrayList<>(entries);
        out.sort((a, b) -> java.util.Arrays.compareUnsigned(a.name().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.name().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return out;
    }

    /** A regular file kldxref reads; separate debug files carry the same metadata as the module itself. */
    private static boolean isKldCandidate(DirEntry e) {
        return e.kind() == FileStat.Kind.REGULAR && !e.name().endsWith(".debug") && !e.name().endsWith(".symbols");
    }

    private static byte[] hints(List<byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(LinkerHints.VERSION).array());
        records.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /**
     * The module metadata of one file, in set order. Files kldxref built for amd64 cannot open (not ELF,
     * another class or machine, neither a kernel nor a relocatable module) or that have no metadata set
     * have none.
     */
    private static List<ModMetadata> metadata(FileData f) throws BootException {
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
        return switch (elf.header().type()) {
            case ElfHeader.ET_EXEC -> ModMetadataSet.ofExecutable(elf);
            case ElfHeader.ET_REL -> ModMetadataSet.ofObject(elf, layout(elf));
            default -> List.of();
        };
    }

    /**
     * kldxref's two passes: the first MDT_MODULE, which marks where a file's records begin, then every
     * record but the MDT_MODULEs, in set order.
     */
    private static List<ModMetadata> ordered(List<ModMetadata> md) {
        List<ModMetadata> out = new ArrayList<>();
        md.stream().filter(m -> m instanceof ModMetadata.Module).findFirst().ifPresent(out::add);
        md.stream().filter(m -> !(m instanceof ModMetadata.Module)).forEach(out::add);
        return out;
    }

    /** One record as kldxref -d prints it. */
    private static String describe(ModMetadata m) throws BootException {
        if (m instanceof ModMetadata.Module mod) {
            return "  module " + mod.name();
        } else if (m instanceof ModMetadata.Depend d) {
            return String.format("  depends on %s.%d (%d,%d)", d.name(), d.preferred(), d.minimum(), d.maximum());
        } else if (m instanceof ModMetadata.Version v) {
            return String.format("  interface %s.%d", v.name(), v.version());
        }
        ModMetadata.PnpInfo p = (ModMetadata.PnpInfo) m;
        PnpTable t = p.table();
        return String.format("  pnp info for bus %s format %s %d entries of %d bytes", p.name(), t.descr(),
                t.numEntry(), t.entryLen());
    }

    /** The hints records of one file: MDT_MODULE, MDT_VERSION and MDT_PNP_INFO (MDT_DEPEND is the loader's). */
    private static List<byte[]> records(FileData f, List<ModMetadata> md, String kldname) throws BootException {
        byte[] kld = kldname.getBytes(StandardCharsets.UTF_8);
        List<byte[]> out = new ArrayList<>();
        for (ModMetadata m : ordered(md)) {
            HintsRecord r = new HintsRecord(f.path());
            if (m instanceof ModMetadata.Module mod) {
                r.putInt(ModMetadata.MDT_MODULE);
                r.putString(mod.name());
                r.putString(kld, kldname);
            } else if (m instanceof ModMetadata.Version v) {
                r.putInt(ModMetadata.MDT_VERSION);
                r.putString(v.name());
                r.putInt(v.version());
                r.putString(kld, kldname);
            } else if (m instanceof ModMetadata.PnpInfo p) {
                pnp(r, p, f.path());
            } else {
                continue;
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
