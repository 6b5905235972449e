package userboot4j.dev;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import userboot4j.BootException;
import userboot4j.disk.DiskImage;
import userboot4j.disk.Volume;
import userboot4j.fs.FileSystem;
import userboot4j.fs.zfs.Dsl;
import userboot4j.fs.zfs.FeaturesForRead;
import userboot4j.fs.zfs.NvList;
import userboot4j.fs.zfs.Spa;
import userboot4j.fs.zfs.ZfsFileSystem;
import userboot4j.fs.zfs.ZfsPools;

/**
 * The zfs device (stand/libsa/zfs/zfs.c): the pools on the disks and their partitions as
 * {@code zfs:POOL/DATASET:}, named and opened as zfs_parsedev and zfs_fmtdev do.
 */
final class ZfsDev implements Devsw {
    private final UserbootDisk disk;
    private List<ZfsPools.Pool> pools;
    /** Why devices' checksummed ZFS labels gave no pool, for the message when a pool is not found. */
    private final List<String> undecodable = new ArrayList<>();
    private final Map<String, Dsl> datasets = new HashMap<>();

    ZfsDev(UserbootDisk disk) {
        this.disk = disk;
    }

    /** A dataset, or a pool alone ({@code zfs:POOL:}). */
    record Desc(ZfsDev devsw, String dataset) implements Devdesc {
        String pool() {
            int slash = dataset.indexOf('/');
            return slash < 0 ? dataset : dataset.substring(0, slash);
        }

        @Override
        public String toString() {
            return "zfs:" + dataset + ":";
        }
    }

    @Override
    public String name() {
        return "zfs";
    }

    /**
     * The pools in the order userboot_zfs_probe meets them: disk by disk, the whole disk, then its partitions
     * (and the BSD partitions inside MBR slices).
     */
    List<ZfsPools.Pool> pools() throws BootException {
        if (pools == null) {
            List<Volume> volumes = new ArrayList<>();
            for (DiskImage d : disk.disks().disks()) {
                volumes.add(d);
                disk.walk(d, d.name(), 0, (name, depth, p, range) -> volumes.add(range));
            }
            pools = ZfsPools.discover(volumes, undecodable);
        }
        return pools;
    }

    ZfsPools.Pool pool(String name) throws BootException {
        for (ZfsPools.Pool p : pools()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new BootException.NotFound("zfs:" + name + ": no such pool on the given disks"
                + (undecodable.isEmpty() ? "" : " (" + String.join("; ", undecodable) + ")"));
    }

    /** The datasets of the pool named {@code pool}. */
    Dsl dsl(String pool) throws BootException {
        Dsl d = datasets.get(pool);
        if (d == null) {
            // read as the newest loader reads; whether the guest's release would is Devices.refusals's question
            d = new Dsl(new Spa(pool(pool), FeaturesForRead.FREEBSD_15));
            datasets.put(pool, d);
        }
        return d;
    }

    /** The first pool's boot dataset (its bootfs, or its root dataset), which userboot makes currdev. */
    Desc bootDevice() throws BootException {
        return new Desc(this, dsl(pools().get(0).name()).bootfs());
    }

    /** zfs_dev_print: each pool, and with {@code verbose} its status (spa_status). */
    @Override
    public List<String> print(boolean verbose) throws BootException {
        List<String> out = new ArrayList<>();
        if (!pools().isEmpty()) {
            out.add("zfs devices:");
        }
        for (ZfsPools.Pool p : pools()) {
            if (!verbose) {
                out.add("    zfs:" + p.name());
                continue;
            }
            out.add("  pool: " + p.name());
            String bootfs = bootfs(p);
            if (bootfs != null) {
                out.add("bootfs: " + bootfs);
            }
            out.add("config:");
            out.add("");
            out.add("        NAME STATE");
            List<NvList> top = new ArrayList<>(new java.util.TreeMap<>(p.topLevel()).values());
            out.add("        " + p.name() + " " + poolState(top.stream().map(v -> state(p, v, 0)).toList()));
            vdevs(out, p, top, "          ", 0);
        }
        return out;
    }

    /** Each vdev of {@code vdevs} and the children below it, a level deeper each. */
    private static void vdevs(List<String> out, ZfsPools.Pool p, List<NvList> vdevs, String indent, int depth) {
        for (NvList v : vdevs) {
            out.add(indent + vdevName(v) + " " + state(p, v, 0));
            if (depth < 8) {
                vdevs(out, p, v.lists("children"), indent + "  ", depth + 1);
            }
        }
    }

    /** vdev_init's name: a leaf by its path less a leading /dev/, an inner vdev as type, parity and id. */
    private static String vdevName(NvList v) {
        String type = String.valueOf(v.string("type"));
        if (v.lists("children").isEmpty()) {
            String path = v.string("path");
            return path == null ? type : path.startsWith("/dev/") ? path.substring(5) : path;
        }
        Long parity = v.number("nparity");
        Long id = v.number("id");
        return type + (type.equals("raidz") && parity != null ? parity : "") + "-" + (id == null ? 0 : id);
    }

    /** The boot dataset spa_status names, or null when the pool's datasets cannot be read (zfs_get_root fails). */
    private String bootfs(ZfsPools.Pool p) {
        try {
            return dsl(p.name()).bootfs();
        } catch (BootException e) {
            return null;
        }
    }

    /**
     * vdev_set_state: a leaf a given device carries is ONLINE, one none does keeps the state its configuration
     * gives it (UNKNOWN without a flag); a mirror or raidz is ONLINE with every child ONLINE, else DEGRADED
     * while it can still be read (a mirror with one child ONLINE, a raidz missing at most its parity), else
     * OFFLINE.
     */
    private static String state(ZfsPools.Pool p, NvList v, int depth) {
        if (v == null) {
            return "UNKNOWN";
        }
        List<NvList> children = v.lists("children");
        if (children.isEmpty()) {
            Long guid = v.number("guid");
            return guid != null && p.devices().containsKey(guid) ? "ONLINE" : initialState(v);
        }
        long bad = depth < 8 ? children.stream().filter(c -> !state(p, c, depth + 1).equals("ONLINE")).count() : 0;
        String type = String.valueOf(v.string("type"));
        Long parity = v.number("nparity");
        if (bad == 0) {
            return "ONLINE";
        } else if (type.equals("mirror")) {
            return bad < children.size() ? "DEGRADED" : "OFFLINE";
        } else if (type.equals("raidz")) {
            return bad > (parity == null ? 0 : parity) ? "OFFLINE" : "DEGRADED";
        }
        return initialState(v);
    }

    /** vdev_set_initial_state: the first of the configuration's flags that is set, else UNKNOWN. */
    private static String initialState(NvList v) {
        String[][] flags = {{"offline", "OFFLINE"}, {"removed", "REMOVED"}, {"faulted", "FAULTED"},
            {"degraded", "DEGRADED"}, {"not_present", "CANT_OPEN"}};
        for (String[] f : flags) {
            Long set = v.number(f[0]);
            if (set != null && set != 0) {
                return f[1];
            }
        }
        return "UNKNOWN";
    }

    /** spa_status: ONLINE with every top-level vdev ONLINE, DEGRADED while any is ONLINE or DEGRADED, else CLOSED. */
    private static String poolState(List<String> top) {
        long good = top.stream().filter("ONLINE"::equals).count();
        long degraded = top.stream().filter("DEGRADED"::equals).count();
        if (good > 0 && good == top.size()) {
            return "ONLINE";
        }
        return good + degraded > 0 ? "DEGRADED" : "CLOSED";
    }

    /** zfs_parsedev: {@code zfs:} then a pool and dataset that exist, then the colon. */
    @Override
    public Parsed parse(String spec) throws BootException {
        int start = name().length() + 1;
        int colon = spec.indexOf(':', start);
        if (!spec.startsWith("zfs:") || colon < 0 || colon == start) {
            throw new DeviceException(spec, DeviceException.EINVAL);
        }
        Desc d = new Desc(this, spec.substring(start, colon));
        try {
            pool(d.pool());
        } catch (BootException.NotFound e) {
            throw new DeviceException(d.toString(), DeviceException.ENXIO, e.getMessage());
        }
        try {
            dsl(d.pool()).objset(d.dataset());
        } catch (BootException.NotFound e) {
            throw new DeviceException(d.toString(), DeviceException.ENOENT, e.getMessage());
        }
        return new Parsed(d, spec.substring(colon + 1));
    }

    /** The dataset's files; a pool named alone reads its boot dataset, as zfs_mount does with no object. */
    @Override
    public FileSystem open(Devdesc d) throws BootException {
        Desc z = (Desc) d;
        Dsl dsl = dsl(z.pool());
        return new ZfsFileSystem(dsl, z.dataset().equals(z.pool()) ? dsl.bootfs() : z.dataset());
    }
}
