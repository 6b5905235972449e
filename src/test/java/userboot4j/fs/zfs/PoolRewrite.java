package userboot4j.fs.zfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;
import userboot4j.BootException;
import userboot4j.disk.DiskImage;

/**
 * A copy of a real one-disk pool changed the way ZFS changes a pool, copy on write, so that a change made
 * on purpose is what a reader reaches past every checksum: the changed block is written whole and
 * uncompressed to new space, and every block pointer from the uberblock down to it is pointed there and
 * re-checksummed; a new uberblock (the next txg) in label 0's ring, signed again, takes the new MOS. The
 * new space is added after the image's end, so labels 2 and 3 are no longer where a reader looks; labels
 * 0 and 1 are. The pool's blocks must be little-endian, as Forge writes block pointers.
 */
final class PoolRewrite implements AutoCloseable {
    static final int SPACE = 8 << 20;

    private final Path image;
    private final FileChannel out;
    private final DiskImage disk;
    /** The offset in the allocatable space where the next new block goes. */
    private long free;
    private ZfsPools.Pool pool;
    private Dsl dsl;

    private PoolRewrite(Path image, long free) throws Exception {
        this.image = image;
        this.out = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.disk = DiskImage.open(image, 0);
        this.free = free;
        reopen();
    }

    /** A sparse copy of the pool image {@code real} at {@code copy}, {@link #SPACE} bytes longer. */
    static PoolRewrite copy(Path real, Path copy) throws Exception {
        long size = Files.size(real);
        try (InputStream in = Files.newInputStream(real);
                FileChannel c = FileChannel.open(copy, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] chunk = new byte[64 << 10];
            for (long at = 0; at < size; at += chunk.length) {
                int n = in.readNBytes(chunk, 0, chunk.length);
                for (int i = 0; i < n; i++) {
                    if (chunk[i] != 0) {
                        c.write(ByteBuffer.wrap(chunk, 0, n), at);
                        break;
                    }
                }
            }
            c.write(ByteBuffer.allocate(1), size + SPACE - 1); // the new space, sparse
        }
        return new PoolRewrite(copy, size - Spa.LABEL_START);
    }

    Path image() {
        return image;
    }

    /** The pool as it now reads. */
    Dsl dsl() {
        return dsl;
    }

    /** The txg of the uberblock a reader now takes. */
    long txg() {
        return pool.uberblock().txg();
    }

    /** The MOS's block pointer in that uberblock. */
    Blkptr rootbp() {
        return pool.uberblock().rootbp();
    }

    private void reopen() throws BootException {
        pool = ZfsPools.discover(List.of(disk)).get(0);
        dsl = new Dsl(new Spa(pool));
    }

    /** Where in the allocatable space {@link #write} puts its next bytes. */
    long free() {
        return free;
    }

    /** Writes whole sectors to new space; their offset in the allocatable space. */
    long write(byte[] sectors) throws IOException {
        assertThat(sectors.length % 512).isZero();
        long at = free;
        out.write(ByteBuffer.wrap(sectors), Spa.LABEL_START + at);
        free += sectors.length;
        return at;
    }

    /**
     * Changes the configuration nvlist of labels 0 and 1, signed again where each lies: {@code patch} gets the
     * vdev_phys block before its checksum. The pool may no longer be found: nothing is read after it.
     */
    void labels(Consumer<ByteBuffer> patch) throws IOException {
        for (int l = 0; l < 2; l++) {
            long at = (long) l * VdevLabel.LABEL_SIZE + VdevLabel.PHYS_OFFSET;
            byte[] phys = new byte[VdevLabel.PHYS_SIZE];
            out.read(ByteBuffer.wrap(phys), at);
            patch.accept(ByteBuffer.wrap(phys, 0, VdevLabel.PHYS_SIZE - VdevLabel.ECK_SIZE).slice());
            Forge.signEck(phys, 0, phys.length, VdevLabel.eckOrder(phys), at);
            out.write(ByteBuffer.wrap(phys), at);
        }
    }

    /** Changes dnode {@code object} of {@code dataset} (null: the MOS): {@code patch} gets its 512 bytes. */
    void dnode(String dataset, long object, Consumer<ByteBuffer> patch) throws Exception {
        commit(dataset, objsetWith(objsetBlkptr(dataset), object, patch));
    }

    /** Changes data block {@code blkid} of object {@code object} of {@code dataset}. */
    void block(String dataset, long object, long blkid, Consumer<ByteBuffer> patch) throws Exception {
        Dmu dmu = dsl.dmu();
        Blkptr os = objsetBlkptr(dataset);
        DnodePhys dn = dmu.dnode(dmu.objset(os, "rewrite"), object, "rewrite");
        Dmu.Block b = dmu.block(dn, blkid, "rewrite");
        byte[] data = b.bytes().clone();
        patch.accept(ByteBuffer.wrap(data).order(b.order()));
        List<Dmu.Step> path = dmu.path(dn, blkid, "rewrite");
        Blkptr top = written(path, data);
        commit(dataset, objsetWith(os, object, d -> d.put(DnodePhys.BLKPTR_OFFSET + path.get(0).index()
                * Blkptr.SIZE, Forge.encode(top))));
    }

    private Blkptr objsetBlkptr(String dataset) throws BootException {
        return dataset == null ? rootbp() : dsl.objsetBlkptr(dsl.dataset(dataset), dataset);
    }

    /** The object set {@code os} points to with dnode {@code object} patched: its new block pointer. */
    private Blkptr objsetWith(Blkptr os, long object, Consumer<ByteBuffer> patch) throws Exception {
        Dmu dmu = dsl.dmu();
        DnodePhys meta = dmu.objset(os, "rewrite");
        int perBlock = meta.blockSize() / DnodePhys.SIZE;
        Dmu.Block b = dmu.block(meta, object / perBlock, "rewrite");
        byte[] dnodes = b.bytes().clone();
        patch.accept(ByteBuffer.wrap(dnodes, (int) (object % perBlock) * DnodePhys.SIZE, DnodePhys.SIZE).slice()
                .order(b.order()));
        List<Dmu.Step> path = dmu.path(meta, object / perBlock, "rewrite");
        Blkptr top = written(path, dnodes);
        byte[] objset = dmu.read(os, "rewrite").clone(); // objset_phys_t: the meta dnode first
        put(objset, DnodePhys.BLKPTR_OFFSET + path.get(0).index() * Blkptr.SIZE, top);
        return written(objset, os);
    }

    /** The new object set {@code os} of {@code dataset} (null: the MOS) put where its pointer is kept. */
    private void commit(String dataset, Blkptr os) throws Exception {
        Blkptr mos = dataset == null ? os : objsetWith(rootbp(), dsl.dataset(dataset),
                d -> d.put(bonus(d) + Dsl.DS_BP, Forge.encode(os)));
        VdevLabel.Uberblock ub = pool.uberblock();
        int slot = VdevLabel.ringSlot(pool.config());
        byte[] u = disk.read(ub.offset(), slot).array();
        long txg = ub.txg() + 1;
        ByteBuffer.wrap(u).order(ByteOrder.LITTLE_ENDIAN).putLong(16, txg);
        put(u, 40, mos);
        long at = VdevLabel.RING_OFFSET + txg % (VdevLabel.RING_SIZE / slot) * slot;
        Forge.signEck(u, 0, slot, ByteOrder.LITTLE_ENDIAN, at);
        out.write(ByteBuffer.wrap(u), at);
        reopen();
    }

    /** The blocks of {@code path} written again down to the new {@code data}: the new top pointer. */
    private Blkptr written(List<Dmu.Step> path, byte[] data) throws Exception {
        Blkptr bp = written(data, path.get(path.size() - 1).bp());
        for (int i = path.size() - 2; i >= 0; i--) {
            byte[] indirect = dsl.dmu().read(path.get(i).bp(), "rewrite").clone();
            put(indirect, path.get(i + 1).index() * Blkptr.SIZE, bp);
            bp = written(indirect, path.get(i).bp());
        }
        return bp;
    }

    /** {@code data} written uncompressed to new space, and a pointer to it like {@code like}. */
    private Blkptr written(byte[] data, Blkptr like) throws Exception {
        assertThat(like.littleEndian()).as("a little-endian block").isTrue();
        long at = write(data);
        return like.with(new Blkptr.Dva[] {new Blkptr.Dva(0, at, data.length, false), Blkptr.EMPTY, Blkptr.EMPTY},
                data.length, data.length, ZioCompress.OFF, like.checksum(),
                ZioChecksum.compute(like.checksum(), data, ByteOrder.LITTLE_ENDIAN, null, "rewrite"));
    }

    /** Where the bonus buffer of the 512-byte dnode {@code dnode} starts: after its block pointers. */
    static int bonus(ByteBuffer dnode) {
        return DnodePhys.BLKPTR_OFFSET + (dnode.get(3) & 0xff) * Blkptr.SIZE;
    }

    private static void put(byte[] block, int at, Blkptr bp) {
        System.arraycopy(Forge.encode(bp), 0, block, at, Blkptr.SIZE);
    }

    @Override
    public void close() throws Exception {
        disk.close();
        out.close();
    }
}
