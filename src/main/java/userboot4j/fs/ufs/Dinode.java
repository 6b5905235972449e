package userboot4j.fs.ufs;

import java.nio.ByteBuffer;

/**
 * An on-disk inode (sys/ufs/ufs/dinode.h): UFS1's 128-byte {@code ufs1_dinode} or UFS2's 256-byte
 * {@code ufs2_dinode}, reduced to what a reader needs: mode, size, the 12 direct and 3 indirect block
 * pointers, and the bytes that hold a short symlink's target.
 */
record Dinode(int mode, long size, long[] db, long[] ib, byte[] shortLink) {
    static final int IFMT = 0170000;
    static final int IFDIR = 0040000;
    static final int IFREG = 0100000;
    static final int IFLNK = 0120000;
    static final int NDADDR = 12;
    static final int NIADDR = 3;

    static Dinode decode(ByteBuffer b, int at, int version) {
        long[] db = new long[NDADDR];
        long[] ib = new long[NIADDR];
        int mode = b.getShort(at) & 0xffff;
        byte[] link;
        if (version == 1) {
            for (int i = 0; i < NDADDR; i++) {
                db[i] = b.getInt(at + 40 + 4 * i);
            }
            for (int i = 0; i < NIADDR; i++) {
                ib[i] = b.getInt(at + 88 + 4 * i);
            }
            link = new byte[60];
            b.get(at + 40, link);
            return new Dinode(mode, b.getLong(at + 8), db, ib, link);
        }
        for (int i = 0; i < NDADDR; i++) {
            db[i] = b.getLong(at + 112 + 8 * i);
        }
        for (int i = 0; i < NIADDR; i++) {
            ib[i] = b.getLong(at + 208 + 8 * i);
        }
        link = new byte[120];
        b.get(at + 112, link);
        return new Dinode(mode, b.getLong(at + 16), db, ib, link);
    }

    int type() {
        return mode & IFMT;
    }
}
