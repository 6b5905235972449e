package userboot4j.fs.zfs;

import java.nio.ByteBuffer;
import java.util.Map;
import userboot4j.BootException;

/**
 * Datasets of a pool (OpenZFS dsl_dir.h, dsl_dataset.h): the MOS object directory names the root DSL
 * directory; a directory's bonus (dsl_dir_phys) gives its head dataset and the ZAP of its children; a
 * dataset's bonus (dsl_dataset_phys) holds the block pointer of its object set.
 */
public final class Dsl {
    static final int DD_HEAD_DATASET_OBJ = 8;
    static final int DD_CHILD_DIR_ZAPOBJ = 32;
    static final int DS_BP = 128;
    static final int MASTER_NODE_OBJ = 1;

    private final Dmu dmu;
    private final DnodePhys mos;
    private final String pool;

    public Dsl(Spa spa) throws BootException {
        this.dmu = new Dmu(spa);
        this.pool = spa.pool().name();
        this.mos = dmu.objset(spa.pool().uberblock().rootbp(), pool + ": MOS");
    }

    public Dmu dmu() {
        return dmu;
    }

    /** The meta dnode of the dataset named {@code name} ("pool" or "pool/a/b"). */
    public DnodePhys objset(String name) throws BootException {
        String[] parts = name.split("/");
        if (!parts[0].equals(pool)) {
            throw new BootException.NotFound(name + ": not a dataset of pool " + pool);
        }
        DnodePhys dirObj = dmu.dnode(mos, Dmu.DMU_POOL_DIRECTORY_OBJECT, pool + ": MOS");
        Long dir = Zap.entries(dmu, dirObj, pool + ": object directory").get("root_dataset");
        if (dir == null) {
            throw new BootException.InvalidFormat(pool + ": object directory names no root_dataset");
        }
        for (int i = 1; i < parts.length; i++) {
            long children = bonusWord(dmu.dnode(mos, dir, name), DD_CHILD_DIR_ZAPOBJ, name);
            dir = Zap.entries(dmu, dmu.dnode(mos, children, name), name + ": child datasets").get(parts[i]);
            if (dir == null) {
                throw new BootException.NotFound(name + ": no dataset " + parts[i]);
            }
        }
        long head = bonusWord(dmu.dnode(mos, dir, name), DD_HEAD_DATASET_OBJ, name);
        DnodePhys ds = dmu.dnode(mos, head, name);
        if (ds.bonus().length < DS_BP + Blkptr.SIZE) {
            throw new BootException.InvalidFormat(name + ": dataset bonus of " + ds.bonus().length + " bytes");
        }
        return dmu.objset(Blkptr.decode(ds.bonus(), DS_BP, ds.order(), name), name + ": object set");
    }

    /** The ZPL master node of a file-system dataset: ROOT, VERSION, SA_ATTRS, DELETE_QUEUE. */
    public Map<String, Long> masterNode(DnodePhys objset, String name) throws BootException {
        return Zap.entries(dmu, dmu.dnode(objset, MASTER_NODE_OBJ, name), name + ": master node");
    }

    private static long bonusWord(DnodePhys dn, int at, String where) throws BootException {
        if (dn.bonus().length < at + 8) {
            throw new BootException.InvalidFormat(where + ": bonus of " + dn.bonus().length + " bytes");
        }
        return ByteBuffer.wrap(dn.bonus()).order(dn.order()).getLong(at);
    }
}
