package userboot4j.cli;

import java.util.Formatter;
import userboot4j.amd64.EntryState;
import userboot4j.amd64.Segment;
import userboot4j.loader.Loader;
import userboot4j.loader.Metadata;
import userboot4j.loader.PreloadedFile;
import userboot4j.loader.PreparedBoot;

/** The readable form of a {@link PreparedBoot}. */
final class InspectTable {
    private InspectTable() {
    }

    static String render(PreparedBoot boot) {
        Formatter f = new Formatter(java.util.Locale.US); // plain digits; the only locale that loads no locale data
        EntryState e = boot.image().entry();
        f.format("Loader: %s (as %s), because %s%n%n", boot.release().release(), boot.release().release().reference(),
                boot.release().reason());
        f.format("Entry (%s)%n", e.mode().name().toLowerCase(java.util.Locale.ROOT));
        f.format("  rip 0x%016x  rsp 0x%x  rflags 0x%x%n", e.rip(), e.rsp(), e.rflags());
        f.format("  cr0 0x%x  cr3 0x%x  cr4 0x%x  efer 0x%x%n", e.cr0(), e.cr3(), e.cr4(), e.efer());
        f.format("  gdtr base 0x%x limit 0x%x%n", e.gdtrBase(), e.gdtrLimit());
        f.format("  %-5s %-8s %-10s %-10s %s%n", "seg", "selector", "base", "limit", "access");
        String[] names = {"cs", "ds", "es", "fs", "gs", "ss", "tr", "ldtr"};
        Segment[] segs = {e.cs(), e.ds(), e.es(), e.fs(), e.gs(), e.ss(), e.tr(), e.ldtr()};
        for (int i = 0; i < names.length; i++) {
            f.format("  %-5s 0x%-6x 0x%-8x 0x%-8x 0x%x%n", names[i], segs[i].selector(), segs[i].base(),
                    segs[i].limit(), segs[i].access());
        }
        f.format("%nMemory: lowmem 0x%x, highmem 0x%x; modulep 0x%x, kernend 0x%x%n",
                boot.image().memory().lowmem(), boot.image().memory().highmem(), boot.modulep(), boot.kernend());
        f.format("%nFiles%n");
        for (PreloadedFile p : boot.files()) {
            f.format("  0x%08x %10d  %-16s %s%s%n", p.addr(), p.size(), p.type(), p.name(),
                    p.args() == null ? "" : " " + p.args());
            for (PreloadedFile.KernelModule m : p.modules()) {
                f.format("      module %s version %d%n", m.name(), m.version());
            }
            for (Metadata m : p.metadata()) {
                if ((m.type() & Metadata.NOCOPY) == 0) {
                    f.format("      %-10s %5d bytes%s%n", Metadata.name(m.type()), m.data().length,
                            m.data().length == 8 || m.data().length == 4 ? " " + hex(value(m)) : "");
                }
            }
        }
        f.format("%nRegions%n");
        for (Loader.Region r : boot.regions()) {
            f.format("  0x%08x %10d  %s%n", r.addr(), r.length(), r.content());
        }
        f.format("%nEnvironment%n");
        for (String s : boot.env()) {
            f.format("  %s%n", s);
        }
        return f.toString();
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static long value(Metadata m) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(m.data()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        return m.data().length == 8 ? b.getLong(0) : Integer.toUnsignedLong(b.getInt(0));
    }
}
