package userboot4j.fs.zfs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import userboot4j.BootException;

/**
 * What FreeBSD's loader decides about booting from a pool (stand/libsa/zfs/zfsimpl.c, zfs.c): whether it
 * accepts the pool at all (its vdev types and the features needed to read it), and the boot-environment
 * variables it sets for the dataset it boots from (init_zfs_boot_options).
 */
public final class ZfsBoot {
    /** Vdev types vdev_init accepts from a label's tree ({@code file} only in the loader's test builds). */
    static final Set<String> VDEV_TYPES = Set.of("disk", "mirror", "raidz", "replacing", "indirect", "hole");

    private ZfsBoot() {
    }

    /**
     * Why FreeBSD's loader would not boot from {@code pool}, in its words; empty when it would. The release
     * whose loader decides is the one the pool was opened for ({@link Spa#features()}).
     */
    public static List<String> refusals(ZfsPools.Pool pool, Dsl dsl) throws BootException {
        return refusals(pool, dsl, dsl.dmu().spa().features());
    }

    /**
     * Why the loader that reads {@code known} would not boot from {@code pool}, in its words. As it does,
     * every feature the label's features_for_read names must be known (vdev_probe), and only when they are,
     * every feature of the MOS features_for_read table whose refcount is not 0 (check_mos_features).
     */
    public static List<String> refusals(ZfsPools.Pool pool, Dsl dsl, FeaturesForRead known) throws BootException {
        List<String> out = new ArrayList<>();
        checkTypes(pool.vdevTree(), out, 0);
        NvList label = pool.config().list("features_for_read");
        int before = out.size();
        if (label != null) {
            for (String f : label.pairs().keySet()) {
                unsupported(known, f, out);
            }
        }
        // a label naming a feature it does not know keeps the device out of every pool: the MOS is never read
        Long mos = out.size() > before ? null : dsl.objectDirectory().get("features_for_read");
        if (mos != null) {
            for (Map.Entry<String, Long> e : dsl.mosZap(mos, pool.name() + ": features_for_read").entrySet()) {
                if (e.getValue() != 0 && !e.getKey().isEmpty()) {
                    unsupported(known, e.getKey(), out);
                }
            }
        }
        return out;
    }

    /** Adds the loader's words for {@code feature} to {@code out} unless it reads it or they are there. */
    private static void unsupported(FeaturesForRead known, String feature, List<String> out) {
        String why = "unsupported feature: " + feature;
        if (!known.reads(feature) && !out.contains(why)) {
            out.add(why);
        }
    }

    private static void checkTypes(NvList vdev, List<String> out, int depth) {
        if (vdev == null) {
            out.add("the pool's configuration has no vdev tree");
            return;
        }
        String type = vdev.string("type");
        if (!VDEV_TYPES.contains(type)) {
            String why = "can only boot from disk, mirror, raidz1, raidz2 and raidz3 vdevs, got: " + type;
            if (!out.contains(why)) {
                out.add(why);
            }
        }
        if (depth < 4) {
            for (NvList child : vdev.lists("children")) {
                checkTypes(child, out, depth + 1);
            }
        }
    }

    /**
     * The pool's one-time boot device ({@code zfs_get_bootonce}): from the first leaf, in the vdev tree's
     * order, whose boot-environment block reads; null when there is none. FreeBSD's loader then removes it
     * from every label; userboot4j never writes to a disk, so it stays.
     */
    public static String bootonce(ZfsPools.Pool pool) throws BootException {
        for (NvList leaf : pool.leaves()) {
            Long guid = leaf.number("guid");
            userboot4j.disk.Volume v = guid == null ? null : pool.devices().get(guid);
            String once = v == null ? null : VdevLabel.bootonce(v);
            if (once != null) {
                return once.isEmpty() ? null : once;
            }
        }
        return null;
    }

    /**
     * The variables init_zfs_boot_options sets for {@code currdev} ({@code zfs:POOL/ROOT/BE:}):
     * zfs_be_active, zfs_be_currpage, zfs_be_root (the dataset's parent), and bootenvs[0..n-1] with
     * bootenvs_count listing the parent's children (names starting with '$' left out) — in the reverse of
     * the child ZAP's order, since the loader pushes each onto the front of a list. For a pool with a
     * checkpoint also zpool_checkpoint (the parent) and bootenvs_check[0..n-1] with bootenvs_check_count, the
     * parent's children at the checkpoint, each named {@code zfs:!POOL/…} (the kernel's name for mounting
     * the root from the checkpoint).
     */
    public static Map<String, String> variables(Dsl dsl, String currdev) throws BootException {
        Map<String, String> env = new LinkedHashMap<>();
        String active = currdev.substring(0, currdev.length() - 1);
        env.put("zfs_be_active", active);
        env.put("zfs_be_currpage", "1");
        String name = active.substring("zfs:".length());
        String root = name.contains("/") ? name.substring(0, name.lastIndexOf('/')) : name;
        env.put("zfs_be_root", root);
        bootenvs(env, "bootenvs", dsl, root, "zfs:");
        Dsl checkpoint = dsl.atCheckpoint();
        if (checkpoint != null) {
            env.put("zpool_checkpoint", root);
            bootenvs(env, "bootenvs_check", checkpoint, root, "zfs:!");
        }
        return env;
    }

    /** zfs_bootenv_initial: PREFIX[0..n-1] and PREFIX_count; nothing when the root cannot be looked up. */
    private static void bootenvs(Map<String, String> env, String prefix, Dsl dsl, String root, String device)
            throws BootException {
        List<String> children;
        try {
            children = dsl.children(root);
        } catch (BootException.NotFound e) {
            return;
        }
        List<String> bes = new ArrayList<>();
        for (String c : children) {
            if (!c.startsWith("$")) {
                bes.add(0, device + root + "/" + c);
            }
        }
        for (int i = 0; i < bes.size(); i++) {
            env.put(prefix + "[" + i + "]", bes.get(i));
        }
        env.put(prefix + "_count", String.valueOf(bes.size()));
    }
}
