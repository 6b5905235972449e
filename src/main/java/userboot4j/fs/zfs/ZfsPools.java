package userboot4j.fs.zfs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import userboot4j.BootException;
import userboot4j.disk.Volume;

/**
 * Pool discovery: the ZFS labels of every given device, grouped by pool GUID, each pool's configuration
 * taken from its label with the highest txg, and its leaf vdevs (disk or file) matched to devices by GUID.
 */
public final class ZfsPools {
    /** A pool found on the devices: its newest label's configuration, devices by leaf GUID, the best uberblock. */
    public record Pool(String name, long guid, NvList config, Map<Long, NvList> topLevel, Map<Long, Volume> devices,
            VdevLabel.Uberblock uberblock) {
        /** The same pool read from {@code ub} (its checkpoint's uberblock). */
        public Pool at(VdevLabel.Uberblock ub) {
            return new Pool(name, guid, config, topLevel, devices, ub);
        }

        /** The top-level vdev of the newest label's device. */
        public NvList vdevTree() {
            return config.list("vdev_tree");
        }

        public long version() {
            Long v = config.number("version");
            return v == null ? 0 : v;
        }

        /** The leaf vdevs (type disk or file) of every top-level vdev seen in a label. */
        public List<NvList> leaves() {
            List<NvList> out = new ArrayList<>();
            for (NvList top : topLevel.values()) {
                collect(top, out, 0);
            }
            return out;
        }

        private static void collect(NvList v, List<NvList> out, int depth) {
            if (v == null || depth > 8) {
                return;
            }
            List<NvList> children = v.lists("children");
            if (children.isEmpty()) {
                out.add(v);
            }
            for (NvList c : children) {
                collect(c, out, depth + 1);
            }
        }

        /** Leaves no given device carries, each as "path (guid 0x…)", and top-level vdevs no label shows. */
        public List<String> missing() {
            List<String> out = new ArrayList<>();
            Long children = config.number("vdev_children");
            long end = children == null ? 0 : children;
            // the missing ids as runs: the count is the label's word, and one line each could be billions
            long next = 0;
            for (long id : new java.util.TreeSet<>(topLevel.keySet())) {
                if (id >= next && id < end) {
                    missingRun(out, next, id);
                    next = id + 1;
                }
            }
            missingRun(out, next, end);
            for (NvList leaf : leaves()) {
                Long g = leaf.number("guid");
                if (g != null && !devices.containsKey(g)) {
                    out.add(String.format("%s (guid 0x%x)", leaf.string("path"), g));
                }
            }
            return out;
        }

        private static void missingRun(List<String> out, long from, long to) {
            if (to - from == 1) {
                out.add("top-level vdev " + from + " (no device of it was given)");
            } else if (to > from) {
                out.add("top-level vdevs " + from + " to " + (to - 1) + " (no device of them was given)");
            }
        }
    }

    private ZfsPools() {
    }

    public static List<Pool> discover(List<Volume> volumes) throws BootException {
        return discover(volumes, null);
    }

    /** The same, adding to {@code undecodable} (if not null) why a device's checksummed label gave no pool. */
    public static List<Pool> discover(List<Volume> volumes, List<String> undecodable) throws BootException {
        Map<Long, List<VdevLabel>> byPool = new LinkedHashMap<>();
        for (Volume v : volumes) {
            VdevLabel l = VdevLabel.read(v, undecodable);
            if (l != null) {
                byPool.computeIfAbsent(l.poolGuid(), k -> new ArrayList<>()).add(l);
            }
        }
        List<Pool> out = new ArrayList<>();
        for (Map.Entry<Long, List<VdevLabel>> e : byPool.entrySet()) {
            VdevLabel newest = null;
            VdevLabel.Uberblock ub = null;
            Map<Long, Volume> devices = new LinkedHashMap<>();
            Map<Long, NvList> top = new java.util.TreeMap<>();
            for (VdevLabel l : e.getValue()) {
                NvList tree = l.config().list("vdev_tree");
                if (tree != null && tree.number("id") != null) {
                    top.putIfAbsent(tree.number("id"), tree);
                }
                if (newest == null || l.config().number("txg") > newest.config().number("txg")) {
                    newest = l;
                }
                if (l.uberblock() != null && (ub == null || l.uberblock().txg() > ub.txg())) {
                    ub = l.uberblock();
                }
                devices.put(l.guid(), l.device());
            }
            out.add(new Pool(newest.poolName(), e.getKey(), newest.config(), top, devices, ub));
        }
        return out;
    }
}
