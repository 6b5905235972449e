package userboot4j.fs.zfs;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import userboot4j.BootException;
import userboot4j.fs.PathNames;

/**
 * Files of a ZFS file-system dataset (OpenZFS zfs_znode.h, sa_impl.h), as the FreeBSD loader reads them:
 * directories are ZAPs whose values hold the object number in their low 48 bits; a file's mode and size
 * are the first two attributes of its system-attribute bonus (or fields of the old znode_phys bonus).
 */
public final class Zpl {
    static final int DMU_OT_ZNODE = 17;
    static final int DMU_OT_SA = 44;
    static final int SA_MAGIC = 0x2f505a;
    static final int ZNODE_MODE = 72;
    static final int ZNODE_SIZE = 80;
    static final long OBJECT_MASK = (1L << 48) - 1;
    static final int S_IFMT = 0170000;
    static final int S_IFREG = 0100000;
    static final int S_IFDIR = 0040000;

    private final Dsl dsl;
    private final String dataset;
    private final DnodePhys objset;
    private final long root;
    /** Directory listings by object, since every lookup walks from the root. */
    private final Map<Long, Map<String, Long>> directories = new java.util.HashMap<>();

    public Zpl(Dsl dsl, String dataset) throws BootException {
        this.dsl = dsl;
        this.dataset = dataset;
        this.objset = dsl.objset(dataset);
        Long r = dsl.masterNode(objset, dataset).get("ROOT");
        if (r == null) {
            throw new BootException.InvalidFormat(dataset + ": master node names no ROOT directory");
        }
        this.root = r;
    }

    /** A file's mode bits and size. */
    public record Znode(long object, int mode, long size, DnodePhys dnode) {
    }

    /** The object at absolute {@code path}, symbolic links not followed. */
    public Znode lookup(String path) throws BootException {
        Znode z = znode(root, path);
        for (String name : PathNames.components(path)) {
            if ((z.mode() & S_IFMT) != S_IFDIR) {
                throw new BootException.NotFound(dataset + ":" + path + ": not a directory on the way");
            }
            Map<String, Long> entries = directories.get(z.object());
            if (entries == null) {
                entries = Zap.entries(dsl.dmu(), z.dnode(), dataset + ":" + path);
                directories.put(z.object(), entries);
            }
            Long v = entries.get(name);
            if (v == null) {
                throw new BootException.NotFound(dataset + ":" + path + ": no such file");
            }
            z = znode(v & OBJECT_MASK, path);
        }
        return z;
    }

    /** The whole contents of a regular file of at most {@code limit} bytes. */
    public byte[] read(Znode z, long limit, String path) throws BootException {
        if ((z.mode() & S_IFMT) != S_IFREG) {
            throw new BootException.InvalidFormat(dataset + ":" + path + ": not a regular file");
        }
        if (z.size() < 0 || z.size() > limit) {
            throw new BootException.InvalidFormat(dataset + ":" + path + ": size " + z.size() + " past " + limit);
        }
        if (z.dnode().blockSize() == 0) {
            throw new BootException.InvalidFormat(dataset + ":" + path + ": data block size 0");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) z.size());
        for (long blk = 0; out.size() < z.size(); blk++) {
            byte[] b = dsl.dmu().block(z.dnode(), blk, dataset + ":" + path).bytes();
            out.write(b, 0, (int) Math.min(b.length, z.size() - out.size()));
        }
        return out.toByteArray();
    }

    private Znode znode(long object, String path) throws BootException {
        DnodePhys dn = dsl.dmu().dnode(objset, object, dataset + ":" + path);
        ByteBuffer b = ByteBuffer.wrap(dn.bonus()).order(dn.order());
        int at;
        if (dn.bonustype() == DMU_OT_SA && dn.bonus().length >= 8) {
            if (b.getInt(0) != SA_MAGIC) {
                b.order(dn.order() == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            }
            at = ((b.getShort(4) & 0xffff) >>> 10 & 0x3f) << 3; // the header's size, in 8-byte units
            if (b.getInt(0) != SA_MAGIC || at < 8) {
                throw new BootException.InvalidFormat(dataset + ":" + path + ": bad system-attribute header");
            }
        } else if (dn.bonustype() == DMU_OT_ZNODE) {
            at = ZNODE_MODE;
        } else {
            throw new BootException.InvalidFormat(dataset + ":" + path + ": object " + object + " has bonus type "
                    + dn.bonustype());
        }
        if (dn.bonus().length < at + 16) {
            throw new BootException.InvalidFormat(dataset + ":" + path + ": bonus of " + dn.bonus().length + " bytes");
        }
        return new Znode(object, (int) b.getLong(at), b.getLong(at + 8), dn);
    }
}
