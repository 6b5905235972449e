package userboot4j.fs.zfs;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import userboot4j.BootException;

/**
 * Datasets of a pool (OpenZFS dsl_dir.h, dsl_dataset.h): the MOS object directory names the root DSL
 * directory; a directory's bonus (dsl_dir_phys) gives its head dataset and the ZAP of its children; a
 * dataset's bonus (dsl_dataset_phys) holds the block pointer of its object set.
 */
public final class Dsl {
    static final int DS_DIR_OBJ = 0;
    static final int DD_HEAD_DATASET_OBJ = 8;
    static final int DD_PARENT_OBJ = 16;
    static final int DD_CHILD_DIR_ZAPOBJ = 32;
    static final int DS_SNAPNAMES_ZAPOBJ = 32;
    static final int DS_BP = 128;
    static final int MASTER_NODE_OBJ = 1;
    /** Dataset names are at most this long (ZFS_MAX_DATASET_NAME_LEN), so parent chains are this deep at most. */
    static final int MAX_NAME = 256;
    /** Datasets nest at most this deep (zfs_max_dataset_nesting). */
    public static final int MAX_DEPTH = 50;
    /** The object directory entry holding the salt of salted checksums. */
    static final String DMU_POOL_CHECKSUM_SALT = "org.illumos:checksum_salt";
    /** The object directory entry holding the uberblock of the pool's checkpoint, as 64-bit words. */
    static final String DMU_POOL_ZPOOL_CHECKPOINT = "com.delphix:zpool_checkpoint";
    /** Words of an uberblock up to its block pointer, and up to ub_checkpoint_txg (uberblock_impl.h). */
    static final int UB_ROOTBP_WORD = 5;
    static final int UB_CHECKPOINT_TXG_WORD = 25;

    private final Dmu dmu;
    private final DnodePhys mos;
    private final String pool;
    private final Map<String, Long> directory;
    private final long[] checkpoint;

    /**
     * Opens the pool's MOS and its object directory, and hands the checksum salt found there to {@code spa}
     * for the salted checksums of every block read after.
     */
    public Dsl(Spa spa) throws BootException {
        this.dmu = new Dmu(spa);
        this.pool = spa.pool().name();
        if (spa.pool().uberblock() == null) {
            // a label's config without a ring to go with it: nothing to read the pool from
            throw new BootException.InvalidFormat(pool + ": no label of the pool holds a valid uberblock");
        }
        this.mos = dmu.objset(spa.pool().uberblock().rootbp(), pool + ": MOS");
        Map<String, long[]> dir = Zap.arrays(dmu, dmu.dnode(mos, Dmu.DMU_POOL_DIRECTORY_OBJECT, pool + ": MOS"),
                pool + ": object directory");
        this.directory = Zap.firstIntegers(dir);
        this.checkpoint = dir.get(DMU_POOL_ZPOOL_CHECKPOINT);
        spa.checksumSalt(salt(dir.get(DMU_POOL_CHECKSUM_SALT)));
    }

    /**
     * The salt as 32 bytes; null when the directory has none (OpenZFS writes it with a pool's first sync, so
     * no pool with salted blocks lacks it) or holds something else, which FreeBSD's loader ignores too.
     */
    private static byte[] salt(long[] value) {
        if (value == null || value.length != ZioChecksum.SALT_BYTES) {
            return null;
        }
        byte[] salt = new byte[value.length];
        for (int i = 0; i < value.length; i++) {
            if (value[i] >>> 8 != 0) {
                return null;
            }
            salt[i] = (byte) value[i];
        }
        return salt;
    }

    /**
     * The datasets of the pool as it was at its checkpoint (the uberblock the object directory holds, whose
     * ub_checkpoint_txg is not 0), or null when it has none.
     */
    public Dsl atCheckpoint() throws BootException {
        if (checkpoint == null || checkpoint.length <= UB_CHECKPOINT_TXG_WORD
                || checkpoint[UB_CHECKPOINT_TXG_WORD] == 0) {
            return null;
        }
        ByteBuffer words = ByteBuffer.allocate(Blkptr.SIZE).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < Blkptr.SIZE / 8; i++) {
            words.putLong(checkpoint[UB_ROOTBP_WORD + i]);
        }
        Blkptr rootbp = Blkptr.decode(words.array(), 0, words.order(), pool + ": checkpoint uberblock");
        VdevLabel.Uberblock ub = new VdevLabel.Uberblock(checkpoint[1], checkpoint[2], checkpoint[3],
                checkpoint[4], rootbp, -1);
        return new Dsl(new Spa(dmu.spa().pool().at(ub), dmu.spa().features()));
    }

    public Dmu dmu() {
        return dmu;
    }

    public String pool() {
        return pool;
    }

    /** The MOS object directory: root_dataset, config, features_for_read, pool_props, … */
    public Map<String, Long> objectDirectory() {
        return directory;
    }

    /** The entries of the ZAP object {@code object} of the MOS. */
    public Map<String, Long> mosZap(long object, String where) throws BootException {
        return Zap.entries(dmu, dmu.dnode(mos, object, where), where);
    }

    /**
     * The meta dnode of the dataset named {@code name} ("pool", "pool/a/b", or a snapshot "pool/a@snap",
     * found in its head dataset's snapshot-name ZAP).
     */
    public DnodePhys objset(String name) throws BootException {
        return dmu.objset(objsetBlkptr(dataset(name), name), name + ": object set");
    }

    /** The dataset object named {@code name}: a file system's head dataset, or a snapshot. */
    long dataset(String name) throws BootException {
        int at = name.indexOf('@');
        String fs = at < 0 ? name : name.substring(0, at);
        long head = bonusWord(dmu.dnode(mos, dir(fs), name), DD_HEAD_DATASET_OBJ, name);
        if (at < 0) {
            return head;
        }
        long snapnames = bonusWord(dmu.dnode(mos, head, name), DS_SNAPNAMES_ZAPOBJ, name);
        Long snap = mosZap(snapnames, name + ": snapshots").get(name.substring(at + 1));
        if (snap == null) {
            throw new BootException.NotFound(name + ": no such snapshot");
        }
        return snap;
    }

    /** The block pointer of the object set of dataset object {@code ds} (ds_bp, in its bonus). */
    Blkptr objsetBlkptr(long ds, String name) throws BootException {
        DnodePhys d = dmu.dnode(mos, ds, name);
        if (d.bonus().length < DS_BP + Blkptr.SIZE) {
            throw new BootException.InvalidFormat(name + ": dataset bonus of " + d.bonus().length + " bytes");
        }
        return Blkptr.decode(d.bonus(), DS_BP, d.order(), name);
    }

    /** The names of the child datasets of {@code name}, in the order of its child-directory ZAP. */
    public List<String> children(String name) throws BootException {
        return new ArrayList<>(childDirs(dir(name), name).keySet());
    }

    /**
     * The dataset the pool boots from: the {@code bootfs} pool property (a dataset object), else the pool's
     * root dataset.
     */
    public String bootfs() throws BootException {
        Long props = objectDirectory().get("pool_props");
        Long ds = props == null ? null : mosZap(props, pool + ": pool properties").get("bootfs");
        return ds == null || ds == 0 ? pool : name(ds);
    }

    /** The full name of the dataset object {@code ds}, found by walking up its directory's parents. */
    String name(long ds) throws BootException {
        String where = pool + ": dataset object " + ds;
        long dir = bonusWord(dmu.dnode(mos, ds, where), DS_DIR_OBJ, where);
        StringBuilder name = new StringBuilder();
        for (int depth = 0; ; depth++) {
            long parent = bonusWord(dmu.dnode(mos, dir, where), DD_PARENT_OBJ, where);
            if (parent == 0) {
                return name.insert(0, pool).toString();
            }
            if (depth > MAX_NAME) {
                throw new BootException.InvalidFormat(where + ": dataset directories loop");
            }
            String child = null;
            for (Map.Entry<String, Long> e : childDirs(parent, where).entrySet()) {
                if (e.getValue() == dir) {
                    child = e.getKey();
                }
            }
            if (child == null) {
                throw new BootException.InvalidFormat(where + ": directory " + dir + " is not among its parent's "
                        + "children");
            }
            name.insert(0, "/" + child);
            dir = parent;
        }
    }

    /** The DSL directory object of the dataset named {@code name}. */
    long dir(String name) throws BootException {
        String[] parts = name.split("/");
        if (!parts[0].equals(pool)) {
            throw new BootException.NotFound(name + ": not a dataset of pool " + pool);
        }
        Long dir = objectDirectory().get("root_dataset");
        if (dir == null) {
            throw new BootException.InvalidFormat(pool + ": object directory names no root_dataset");
        }
        for (int i = 1; i < parts.length; i++) {
            dir = childDirs(dir, name).get(parts[i]);
            if (dir == null) {
                throw new BootException.NotFound(name + ": no dataset " + parts[i]);
            }
        }
        return dir;
    }

    private Map<String, Long> childDirs(long dir, String where) throws BootException {
        return mosZap(bonusWord(dmu.dnode(mos, dir, where), DD_CHILD_DIR_ZAPOBJ, where), where + ": child datasets");
    }

    /** The ZPL master node of a file-system dataset: ROOT, VERSION, SA_ATTRS, DELETE_QUEUE. */
    public Map<String, Long> masterNode(DnodePhys objset, String name) throws BootException {
        return Zap.entries(dmu, dmu.dnode(objset, MASTER_NODE_OBJ, name), name + ": master node");
    }

    static long bonusWord(DnodePhys dn, int at, String where) throws BootException {
        if (dn.bonus().length < at + 8) {
            throw new BootException.InvalidFormat(where + ": bonus of " + dn.bonus().length + " bytes");
        }
        return ByteBuffer.wrap(dn.bonus()).order(dn.order()).getLong(at);
    }
}
