package userboot4j.fs.ufs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import userboot4j.disk.DiskImage;
import userboot4j.fs.FileData;
import userboot4j.testsupport.Images;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Require;
import userboot4j.testsupport.Trees;

/**
 * A UFS2 file larger than 4 GiB. Debian's makefs cannot write one (its block reads seek with a 32-bit
 * offset and fail past 2 GiB), so the test takes a makefs image holding a 64 KiB file and makes that
 * file 5 GiB long: a double indirect block, a single indirect block and a data block in the last
 * cylinder group's free space, the size field set; everything between is a hole. grub-fstest, reading
 * the same image, gives the size and the bytes at the end that our reader must give.
 */
class UfsHugeFileTest {
    static final int NDADDR = 12;
    static final long FIVE_GIB = 5L << 30;
    static final int DI_SIZE = 16;
    static final int DI_IB = 208;

    @Test
    void fileOfFiveGibibytesReadsAsGrubReadsIt() throws Exception {
        Require.tool("grub-fstest");
        Path tree = Trees.target().resolve("trees/ufs-huge");
        Trees.delete(tree);
        Files.createDirectories(tree);
        byte[] head = new byte[65536];
        new Random(5).nextBytes(head);
        Files.write(tree.resolve("big"), head);
        Files.createDirectories(Trees.target().resolve("disk-images"));
        Path img = Images.ufs(tree, 2, Trees.target().resolve("disk-images/ufs2-huge.img"), "-s", "96m",
                "-o", "bsize=32768,fsize=4096");

        byte[] tail = new byte[32768];
        new Random(6).nextBytes(tail);
        long size = grow(img, tail);

        // grub-fstest shows no sizes: the last byte is at size - 1 and nothing is at size
        assertThat(grubCat(img, size - 1)).hasSize(1);
        assertThat(grubCat(img, size)).isEmpty();
        Path grubTail = Trees.target().resolve("disk-images/ufs2-huge-tail.bin");
        Processes.run(List.of("sh", "-c", "grub-fstest -s \"$0\" -n \"$1\" \"$2\" cat /big > \"$3\"",
                String.valueOf(size - 40000), "40000", img.toString(), grubTail.toString()), null);
        byte[] expected = Files.readAllBytes(grubTail);
        assertThat(expected).hasSize(40000);
        Path grubHead = Trees.target().resolve("disk-images/ufs2-huge-head.bin");
        Processes.run(List.of("sh", "-c", "grub-fstest -n 65536 \"$0\" cat /big > \"$1\"", img.toString(),
                grubHead.toString()), null);

        try (DiskImage d = DiskImage.open(img, 0); UfsFileSystem fs = UfsFileSystem.probe(d)) {
            assertThat(fs.stat("/big").size()).isEqualTo(size);
            try (FileData f = fs.open("/big")) {
                assertThat(f.readFully(size - 40000, 40000).array()).isEqualTo(expected);
                assertThat(f.readFully(0, 65536).array()).isEqualTo(Files.readAllBytes(grubHead)).isEqualTo(head);
                assertThat(f.readFully(4L << 30, 4096).array()).isEqualTo(new byte[4096]); // a hole
                byte[] one = new byte[1];
                assertThat(f.read(size, one, 0, 1)).isZero();
            }
        }
        assertThat(expected).as("grub-fstest reads what was written").isEqualTo(expectedTail(tail));
    }

    /** What grub-fstest's cat gives of /big from byte {@code skip} on. */
    private static byte[] grubCat(Path img, long skip) throws Exception {
        Path out = Trees.target().resolve("disk-images/ufs2-huge-cat.bin");
        Processes.run(List.of("sh", "-c", "grub-fstest -s \"$0\" \"$1\" cat /big > \"$2\"", String.valueOf(skip),
                img.toString(), out.toString()), null);
        return Files.readAllBytes(out);
    }

    /** The last 40000 bytes of the grown file: zeros of the hole, then the data block. */
    private static byte[] expectedTail(byte[] tail) {
        byte[] out = new byte[40000];
        System.arraycopy(tail, 0, out, 40000 - tail.length, tail.length);
        return out;
    }

    /**
     * Makes /big end at 5 GiB + one block: its double indirect pointer leads to a single indirect block
     * that points at a data block holding {@code tail}. Returns the new size.
     */
    private static long grow(Path img, byte[] tail) throws Exception {
        try (DiskImage d = DiskImage.open(img, 0); UfsFileSystem fs = UfsFileSystem.probe(d)) {
            Superblock sb = fs.superblock();
            long ino = inumber(fs, "big");
            int bsize = sb.bsize();
            long nindir = sb.nindir();
            long lbn = FIVE_GIB / bsize;
            long rel = lbn - NDADDR - nindir;
            // three whole blocks in the last cylinder group's data area, well past what makefs used
            long free = sb.fpg() * (sb.ncg() - 1) + sb.iblkno() + sb.ipg() / sb.inopb() * sb.frag() + 8L * sb.frag();
            long dind = free;
            long sind = free + sb.frag();
            long data = free + 2L * sb.frag();
            assertThat(data + sb.frag()).isLessThanOrEqualTo(sb.size());
            long inodeAt = sb.byteOffset(sb.inodeBlock(ino)) + (ino % sb.inopb()) * 256;
            long size = (lbn + 1) * bsize;
            try (FileChannel ch = FileChannel.open(img, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, size), inodeAt + DI_SIZE);
                ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, dind), inodeAt + DI_IB + 8);
                ch.write(block(bsize, (int) (rel / nindir), sind), sb.byteOffset(dind));
                ch.write(block(bsize, (int) (rel % nindir), data), sb.byteOffset(sind));
                ch.write(ByteBuffer.wrap(tail), sb.byteOffset(data));
            }
            return size;
        }
    }

    /** An indirect block whose only pointer, at {@code slot}, is {@code frag}. */
    private static ByteBuffer block(int bsize, int slot, long frag) {
        return ByteBuffer.allocate(bsize).order(ByteOrder.LITTLE_ENDIAN).putLong(slot * 8, frag);
    }

    /** The inode number of {@code name} in the root directory, from its directory entries. */
    private static long inumber(UfsFileSystem fs, String name) throws Exception {
        Dinode root = fs.inode(UfsFileSystem.ROOTINO, "/");
        byte[] dir = new byte[(int) root.size()];
        fs.readFile(root, "/", 0, dir, 0, dir.length);
        ByteBuffer b = ByteBuffer.wrap(dir).order(ByteOrder.LITTLE_ENDIAN);
        for (int p = 0; p < dir.length; ) {
            int reclen = b.getShort(p + 4) & 0xffff;
            int namlen = b.get(p + 7) & 0xff;
            if (new String(dir, p + 8, namlen, java.nio.charset.StandardCharsets.US_ASCII).equals(name)) {
                return b.getInt(p) & 0xffffffffL;
            }
            p += reclen;
        }
        throw new AssertionError(name + " not in the root directory");
    }
}
