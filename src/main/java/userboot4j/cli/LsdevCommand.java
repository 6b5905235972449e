package userboot4j.cli;

import java.io.PrintWriter;
import java.io.PrintStream;
import userboot4j.BootException;
import userboot4j.disk.DiskImage;
import userboot4j.disk.Partition;
import userboot4j.disk.PartitionTable;
import userboot4j.disk.Volume;
import userboot4j.fs.ufs.UfsFileSystem;
import userboot4j.fs.zfs.Dsl;
import userboot4j.fs.zfs.ZfsPools;

/** {@code userboot4j lsdev}: the devices the loader sees, with their partitions, types and sizes. */
final class LsdevCommand implements Command {
    private final StorageOptions storage = new StorageOptions();
    private boolean verbose;

    @Override
    public Options options() {
        return storage.addTo(new Options("lsdev", "List the guest's disk devices and partitions, as the loader names them."))
                .flag("-v", "also show offsets and file systems", () -> verbose = true);
    }

    @Override
    public int call(PrintStream stdout, PrintStream err) throws BootException {
        PrintWriter out = new PrintWriter(stdout);
        try (GuestStorage s = GuestStorage.open(storage.disks, storage.hostDir)) {
            if (storage.hostDir != null) {
                out.println("host devices:");
                out.println("    host0:");
            }
            if (s.disks() != null) {
                out.println("disk devices:");
                for (DiskImage d : s.disks().disks()) {
                    out.printf("    %s:    %s (%d X %d blocks)%n", d.name(), d.path(), d.size() / d.sectorSize(),
                            d.sectorSize());
                    list(out, s, d, d.name(), "      ");
                }
                s.disks().warnings().forEach(w -> err.println("userboot4j: warning: " + w));
                if (!s.pools().isEmpty()) {
                    out.println("zfs devices:");
                }
                for (ZfsPools.Pool p : s.pools()) {
                    out.printf("    zfs:%s:    %s, version %d, txg %d%s%n", p.name(), p.vdevTree().string("type"),
                            p.version(), p.uberblock() == null ? 0 : p.uberblock().txg(),
                            p.missing().isEmpty() ? "" : ", missing " + String.join(", ", p.missing()));
                    if (p.missing().isEmpty() && p.uberblock() != null) {
                        datasets(out, s.dsl(p.name()), p.name(), "      ", 0);
                    }
                }
            }
            out.flush();
        }
        return 0;
    }

    /** Prints the child datasets of {@code name}, each as the device that reads it. */
    private static void datasets(PrintWriter out, Dsl dsl, String name, String indent, int depth)
            throws BootException {
        for (String child : dsl.children(name)) {
            if (child.startsWith("$")) {
                continue; // the pool's own bookkeeping ($MOS, $FREE, $ORIGIN), not datasets
            }
            String full = name + "/" + child;
            out.printf("%szfs:%s:%n", indent, full);
            if (depth < Dsl.MAX_DEPTH) {
                datasets(out, dsl, full, indent + "  ", depth + 1);
            }
        }
    }

    /** Prints the partitions of {@code v}. */
    private void list(PrintWriter out, GuestStorage s, Volume v, String prefix, String indent) throws BootException {
        PartitionTable t = s.disks().table(v);
        for (Partition p : t.partitions()) {
            String name = GuestStorage.partitionName(prefix, t, p);
            Volume pv = v.slice(name, p.start(), p.length());
            out.printf("%s%s: %s %s%s%n", indent, name, p.type(), size(p.length()),
                    verbose ? String.format(" at 0x%x%s", p.start(), UfsFileSystem.probe(pv) != null
                            ? ", UFS" + UfsFileSystem.probe(pv).superblock().version() : "") : "");
            if (t.scheme() == PartitionTable.Scheme.MBR) {
                list(out, s, pv, name, indent + "  ");
            }
        }
    }

    private static String size(long bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + "B" : String.format("%.1f%s", v, units[u]);
    }
}
