package userboot4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import userboot4j.BootException;
import userboot4j.disk.DiskImage;
import userboot4j.disk.Partition;
import userboot4j.disk.PartitionTable;
import userboot4j.disk.Volume;
import userboot4j.fs.ufs.UfsFileSystem;
import userboot4j.fs.zfs.ZfsPools;

/** {@code userboot4j lsdev}: the devices the loader sees, with their partitions, types and sizes. */
@Command(name = "lsdev", description = "List the guest's disk devices and partitions, as the loader names them.")
final class LsdevCommand implements Callable<Integer> {
    @Mixin
    StorageOptions storage;

    @Option(names = "-v", description = "also show offsets and file systems")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws BootException {
        PrintWriter out = spec.commandLine().getOut();
        try (GuestStorage s = GuestStorage.open(storage.disks, storage.hostDir)) {
            if (storage.hostDir != null) {
                out.println("host devices:");
                out.println("    host0:");
            }
            if (s.disks() != null) {
                out.println("disk devices:");
                List<Volume> volumes = new ArrayList<>();
                for (DiskImage d : s.disks().disks()) {
                    out.printf("    %s:    %s (%d X %d blocks)%n", d.name(), d.path(), d.size() / d.sectorSize(),
                            d.sectorSize());
                    volumes.add(d);
                    list(out, s, d, d.name(), "      ", volumes);
                }
                s.disks().warnings().forEach(w -> spec.commandLine().getErr().println("userboot4j: warning: " + w));
                List<ZfsPools.Pool> pools = ZfsPools.discover(volumes);
                if (!pools.isEmpty()) {
                    out.println("zfs devices:");
                }
                for (ZfsPools.Pool p : pools) {
                    out.printf("    zfs:%s    %s, version %d, txg %d%s%n", p.name(), p.vdevTree().string("type"),
                            p.version(), p.uberblock() == null ? 0 : p.uberblock().txg(),
                            p.missing().isEmpty() ? "" : ", missing " + String.join(", ", p.missing()));
                }
            }
            out.flush();
        }
        return 0;
    }

    /** Prints the partitions of {@code v}, adding each to {@code volumes} for the ZFS label scan. */
    private void list(PrintWriter out, GuestStorage s, Volume v, String prefix, String indent, List<Volume> volumes)
            throws BootException {
        PartitionTable t = s.disks().table(v);
        for (Partition p : t.partitions()) {
            String name = prefix + switch (t.scheme()) {
                case GPT -> "p" + p.index();
                case MBR -> "s" + p.index();
                default -> String.valueOf((char) ('a' + p.index()));
            };
            Volume pv = v.slice(name, p.start(), p.length());
            volumes.add(pv);
            out.printf("%s%s: %s %s%s%n", indent, name, p.type(), size(p.length()),
                    verbose ? String.format(" at 0x%x%s", p.start(), UfsFileSystem.probe(pv) != null
                            ? ", UFS" + UfsFileSystem.probe(pv).superblock().version() : "") : "");
            if (t.scheme() == PartitionTable.Scheme.MBR) {
                list(out, s, pv, name, indent + "  ", volumes);
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
