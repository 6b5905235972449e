package userboot4j.fs.ufs;

import java.nio.ByteBuffer;
import userboot4j.BootException;
import userboot4j.disk.Volume;

/**
 * The UFS superblock ({@code struct fs}, sys/ufs/ffs/fs.h), found as ffs_sbget looks for it: at 64 KiB,
 * 8 KiB, 0 and 256 KiB, a UFS1 one only at 8 KiB or 0, a UFS2 one only where its {@code fs_sblockloc} says.
 * The geometry fields a reader relies on are checked against each other and the device here.
 */
public record Superblock(int version, long location, int sblkno, int iblkno, int oldCgoffset, int oldCgmask,
        long ncg, int bsize, int fsize, int frag, int bshift, int fshift, int fsbtodb, int sbsize, int nindir,
        long inopb, long ipg, long fpg, int maxsymlinklen, long size, int oldInodefmt, int[] id) {
    public static final int UFS1_MAGIC = 0x011954;
    public static final int UFS2_MAGIC = 0x19540119;
    public static final int BAD_MAGIC = 0x19960408;
    static final long SBLOCK_UFS2 = 65536;
    static final long[] SEARCH = {SBLOCK_UFS2, 8192, 0, 262144};
    static final int SBLOCKSIZE = 8192;
    static final int MINBSIZE = 4096;
    static final int MAXBSIZE = 65536;
    static final int STRUCT_SIZE = 1376;

    public static Superblock find(Volume v) throws BootException {
        for (long loc : SEARCH) {
            if (loc + SBLOCKSIZE > v.size()) {
                continue;
            }
            ByteBuffer b = v.read(loc, SBLOCKSIZE);
            int magic = b.getInt(1372);
            if (magic == BAD_MAGIC) {
                throw new BootException.InvalidFormat(String.format(
                        "%s: superblock at offset 0x%x is marked as from an incomplete newfs", v.name(), loc));
            }
            boolean ufs1 = magic == UFS1_MAGIC && loc <= 8192;
            boolean ufs2 = magic == UFS2_MAGIC && b.getLong(1000) == loc;
            if ((ufs1 || ufs2) && plausible(b)) {
                return decode(v, b, loc, ufs1 ? 1 : 2);
            }
        }
        return null;
    }

    /**
     * Why FreeBSD's loader would not read this file system, or null: its ffs_sbget takes a UFS2 superblock
     * only at 64 KiB (13.2 and 15.1 print "UFS2 superblock failed" and find no file system), and Debian's
     * makefs writes one at 8 KiB with fs_sblockloc saying so, which this reader accepts.
     */
    public String loaderRefusal() {
        if (version != 2 || location == SBLOCK_UFS2) {
            return null;
        }
        return String.format("its UFS2 superblock is at %d KiB, where FreeBSD's loader looks for UFS2 only at"
                + " 64 KiB: it would find no file system and stop at its prompt",
                location / 1024);
    }

    private static boolean plausible(ByteBuffer b) {
        int bsize = b.getInt(48);
        return b.getInt(44) >= 1 && bsize >= MINBSIZE && bsize <= MAXBSIZE && bsize >= 1536
                && b.getInt(104) <= SBLOCKSIZE;
    }

    private static Superblock decode(Volume v, ByteBuffer b, long loc, int version) throws BootException {
        Superblock s = new Superblock(version, loc, b.getInt(8), b.getInt(16), b.getInt(24), b.getInt(28),
                b.getInt(44) & 0xffffffffL, b.getInt(48), b.getInt(52), b.getInt(56), b.getInt(80), b.getInt(84),
                b.getInt(100), b.getInt(104), b.getInt(116), b.getInt(120) & 0xffffffffL, b.getInt(184) & 0xffffffffL,
                b.getInt(188), b.getInt(1320), version == 2 ? b.getLong(1080) : b.getInt(36), b.getInt(1324),
                new int[] {b.getInt(144), b.getInt(148)});
        s.validate(v);
        return s;
    }

    /** The relations between geometry fields a reader depends on; a hostile superblock fails here. */
    private void validate(Volume v) throws BootException {
        String why = null;
        int dinode = version == 1 ? 128 : 256;
        if (Integer.bitCount(bsize) != 1 || Integer.bitCount(fsize) != 1 || fsize > bsize || fsize < 512) {
            why = "block size " + bsize + " / fragment size " + fsize + " are not powers of two with fsize <= bsize";
        } else if (1 << bshift != bsize || 1 << fshift != fsize || bsize / fsize != frag) {
            why = "shift fields do not match the sizes";
        } else if (fsize >> fsbtodb != 512) {
            why = "fs_fsbtodb " + fsbtodb + " does not match the fragment size";
        } else if (nindir != bsize / (version == 1 ? 4 : 8) || inopb != bsize / dinode) {
            why = "fs_nindir or fs_inopb does not match the block size";
        } else if (ipg <= 0 || ipg % inopb != 0 || fpg <= 0 || iblkno < 0 || ncg * ipg > Integer.MAX_VALUE * 2L) {
            why = "inode or fragment counts per cylinder group are out of range";
        } else if (size <= 0) {
            why = "file system size " + size + " fragments";
        }
        if (why != null) {
            throw new BootException.InvalidFormat(String.format("%s: UFS%d superblock at offset 0x%x: %s",
                    v.name(), version, location, why));
        }
    }

    /** Fragment address of the block holding inode {@code ino} (ino_to_fsba). */
    long inodeBlock(long ino) {
        long cg = ino / ipg;
        long cgstart = fpg * cg + (version == 1 ? (long) oldCgoffset * (cg & ~(long) oldCgmask) : 0);
        return cgstart + iblkno + ((ino % ipg) / inopb) * frag;
    }

    /** Byte offset of fragment {@code frag} on the device. */
    long byteOffset(long fragment) {
        return fragment * fsize;
    }
}
