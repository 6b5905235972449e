package userboot4j.fs.zfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import userboot4j.BootException;
import userboot4j.fs.PathWalk;

/**
 * Files of a ZFS file-system dataset (OpenZFS zfs_znode.h, sa_impl.h), as the FreeBSD loader reads them:
 * directories are ZAPs whose values hold the object number in their low 48 bits and the entry's type in the
 * top four; a file's attributes sit at the loader's fixed offsets after the system-attribute header (in the
 * bonus buffer, or in the spill block when the bonus is empty), or in the old znode_phys bonus.
 */
public final class Zpl {
    static final int DMU_OT_ZNODE = 17;
    static final int DMU_OT_SA = 44;
    static final int SA_MAGIC = 0x2f505a;
    /** Offsets the loader reads after the SA header: mode, size, and the symbolic link's text. */
    static final int SA_MODE_OFFSET = 0;
    static final int SA_SIZE_OFFSET = 8;
    static final int SA_SYMLINK_OFFSET = 160;
    static final int ZNODE_MODE = 72;
    static final int ZNODE_SIZE = 80;
    static final int ZNODE_PHYS_SIZE = 264;
    static final long OBJECT_MASK = (1L << 48) - 1;
    static final int S_IFMT = 0170000;
    static final int S_IFREG = 0100000;
    static final int S_IFDIR = 0040000;
    static final int S_IFLNK = 0120000;
    /** zfs_lookup gives up after this many symbolic links. */
    static final int MAX_LINKS = 11;

    private final Dsl dsl;
    private final String device;
    private final DnodePhys objset;
    private final long root;
    /** Directory listings by object, since every lookup walks from the root. */
    private final Map<Long, Map<String, Long>> directories = new java.util.HashMap<>();
    /** The dataset's attribute layouts, read on the first symbolic link (null: none, or not read yet). */
    private SaLayouts layouts;

    public Zpl(Dsl dsl, String dataset) throws BootException {
        this.dsl = dsl;
        this.device = "zfs:" + dataset;
        this.objset = dsl.objset(dataset);
        Long r = dsl.masterNode(objset, dataset).get("ROOT");
        if (r == null) {
            throw new BootException.InvalidFormat(device + ": master node names no ROOT directory");
        }
        this.root = r;
    }

    /** A file's object, mode bits and size, and where its system attributes lie. */
    public record Znode(long object, int mode, long size, DnodePhys dnode) {
        public int type() {
            return mode & S_IFMT;
        }
    }

    /** The object at absolute {@code path}, every symbolic link followed. */
    public Znode lookup(String path) throws BootException {
        return new PathWalk<>(new PathWalk.Nodes<Znode>() {
            @Override
            public Znode root() throws BootException {
                return znode(root, "/");
            }

            @Override
            public boolean isDirectory(Znode z) {
                return z.type() == S_IFDIR;
            }

            @Override
            public Znode child(Znode dir, String name, String p) throws BootException {
                return entry(dir, name, p);
            }

            @Override
            public String link(Znode z, String p) throws BootException {
                return z.type() == S_IFLNK ? readlink(z, p) : null;
            }
        }, device, MAX_LINKS, true).lookup(path);
    }

    /** The entry {@code name} of directory {@code dir}, not followed if a link; null when there is none. */
    public Znode entry(Znode dir, String name, String path) throws BootException {
        Long v = directory(dir, path).get(name);
        return v == null ? null : znode(v & OBJECT_MASK, path);
    }

    /** A directory's entries: name to ZAP value (type in bits 60–63, object in bits 0–47). */
    public Map<String, Long> directory(Znode dir, String path) throws BootException {
        if (dir.type() != S_IFDIR) {
            throw new BootException.NotFound(device + ":" + path + ": not a directory");
        }
        Map<String, Long> entries = directories.get(dir.object());
        if (entries == null) {
            entries = Zap.entries(dsl.dmu(), dir.dnode(), device + ":" + path);
            directories.put(dir.object(), entries);
        }
        return entries;
    }

    /** The target of a symbolic link: SA text at its fixed offset, or a znode's inline text or data. */
    public String readlink(Znode z, String path) throws BootException {
        if (z.size() < 0 || z.size() > PathWalk.MAXPATHLEN) {
            throw new BootException.InvalidFormat(device + ":" + path + ": symbolic link of " + z.size() + " bytes");
        }
        int len = (int) z.size();
        byte[] text = new byte[len];
        DnodePhys dn = z.dnode();
        if (dn.bonustype() == DMU_OT_SA) {
            symlinkAttribute(dn, z.object(), len, path).get(text);
        } else if (ZNODE_PHYS_SIZE + len <= dn.bonus().length) {
            System.arraycopy(dn.bonus(), ZNODE_PHYS_SIZE, text, 0, len);
        } else {
            read(z, 0, text, 0, len, path);
        }
        return new String(text, StandardCharsets.UTF_8);
    }

    /** The whole contents of a regular file of at most {@code limit} bytes. */
    public byte[] read(Znode z, long limit, String path) throws BootException {
        if (z.type() != S_IFREG) {
            throw new BootException.InvalidFormat(device + ":" + path + ": not a regular file");
        }
        if (z.size() < 0 || z.size() > limit) {
            throw new BootException.InvalidFormat(device + ":" + path + ": size " + z.size() + " past " + limit);
        }
        byte[] out = new byte[(int) z.size()];
        read(z, 0, out, 0, out.length, path);
        return out;
    }

    /** Reads up to {@code len} bytes at {@code pos} of the file's data; returns the count, 0 at the end. */
    public int read(Znode z, long pos, byte[] dst, int off, int len, String path) throws BootException {
        int bs = z.dnode().blockSize();
        if (bs == 0) {
            throw new BootException.InvalidFormat(device + ":" + path + ": data block size 0");
        }
        int n = (int) Math.max(0, Math.min(len, z.size() - pos));
        for (int done = 0; done < n; ) {
            long p = pos + done;
            byte[] b = dsl.dmu().block(z.dnode(), p / bs, device + ":" + path).bytes();
            int in = (int) (p % bs);
            int k = Math.min(n - done, b.length - in);
            if (k <= 0) {
                throw new BootException.InvalidFormat(device + ":" + path + ": block of " + b.length + " bytes, "
                        + "expected " + bs);
            }
            System.arraycopy(b, in, dst, off + done, k);
            done += k;
        }
        return n;
    }

    private Znode znode(long object, String path) throws BootException {
        DnodePhys dn = dsl.dmu().dnode(objset, object, device + ":" + path);
        if (dn.bonustype() == DMU_OT_SA) {
            ByteBuffer sa = attributes(dn, object, path, false);
            if (sa.remaining() < SA_SIZE_OFFSET + 8) {
                throw new BootException.InvalidFormat(device + ":" + path + ": system attributes of "
                        + sa.remaining() + " bytes");
            }
            return new Znode(object, (int) sa.getLong(sa.position() + SA_MODE_OFFSET),
                    sa.getLong(sa.position() + SA_SIZE_OFFSET), dn);
        }
        if (dn.bonustype() != DMU_OT_ZNODE) {
            throw new BootException.InvalidFormat(device + ":" + path + ": object " + object + " has bonus type "
                    + dn.bonustype());
        }
        if (dn.bonus().length < ZNODE_SIZE + 8) {
            throw new BootException.InvalidFormat(device + ":" + path + ": znode bonus of " + dn.bonus().length
                    + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(dn.bonus()).order(dn.order());
        return new Znode(object, (int) b.getLong(ZNODE_MODE), b.getLong(ZNODE_SIZE), dn);
    }

    /**
     * The symbolic link's text among a dnode's system attributes, as a buffer positioned at it. The
     * dataset's layouts say where it lies, in the bonus or, for a long link, in the spill block; without
     * layouts, it is where the loader looks (a fixed offset after the bonus's header).
     */
    private ByteBuffer symlinkAttribute(DnodePhys dn, long object, int len, String path) throws BootException {
        if (layouts == null) {
            Long attrs = dsl.masterNode(objset, device).get("SA_ATTRS");
            layouts = attrs == null ? SaLayouts.NONE : SaLayouts.read(dsl.dmu(), objset, attrs, device + " SA_ATTRS");
        }
        ByteBuffer sa = attributes(dn, object, path, false);
        ByteBuffer found = layouts.find(sa, SaLayouts.ZPL_SYMLINK, device + ":" + path);
        if (found == null && layouts != SaLayouts.NONE && dn.spill() != null) {
            found = layouts.find(attributes(dn, object, path, true), SaLayouts.ZPL_SYMLINK, device + ":" + path);
        }
        if (found == null && layouts == SaLayouts.NONE) {
            found = sa.duplicate().position(sa.position() + SA_SYMLINK_OFFSET);
        }
        if (found == null || found.remaining() < len) {
            throw new BootException.InvalidFormat(device + ":" + path + ": symbolic link text not in its attributes");
        }
        return found.slice().limit(len);
    }

    /**
     * The system attributes of an SA dnode, positioned after their header: from the bonus buffer, or from
     * the spill block when the bonus is empty. The header's magic tells the byte order.
     */
    private ByteBuffer attributes(DnodePhys dn, long object, String path, boolean spill) throws BootException {
        byte[] raw;
        ByteOrder order = dn.order();
        if (dn.bonus().length > 0 && !spill) {
            raw = dn.bonus();
        } else if (dn.spill() != null) {
            raw = dsl.dmu().read(dn.spill(), device + ":" + path + " spill block of object " + object);
            order = Dmu.order(dn.spill());
        } else {
            throw new BootException.InvalidFormat(device + ":" + path + ": object " + object
                    + " has neither bonus nor spill block");
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(order);
        if (raw.length < 8) {
            throw new BootException.InvalidFormat(device + ":" + path + ": system-attribute header cut short");
        }
        if (b.getInt(0) != SA_MAGIC) {
            b.order(order == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        }
        int hdrsize = ((b.getShort(4) & 0xffff) >>> 10 & 0x3f) << 3; // the header's size, in 8-byte units
        if (b.getInt(0) != SA_MAGIC || hdrsize < 8 || hdrsize > raw.length) {
            throw new BootException.InvalidFormat(device + ":" + path + ": bad system-attribute header");
        }
        return b.position(hdrsize);
    }
}
