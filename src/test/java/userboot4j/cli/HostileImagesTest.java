package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static userboot4j.testsupport.HostileCli.assertOneLine;
import static userboot4j.testsupport.HostileCli.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import userboot4j.Sysexits;
import userboot4j.testsupport.Images;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Trees;

/**
 * Disk images damaged on purpose, one per invariant: each ends in one line naming the device, the path and
 * the offset, a sysexits status, no stack trace, within seconds, in a JVM of its own with a 256 MiB heap
 * (a length field cannot make it allocate what the image does not justify); and no command ever writes to
 * an image.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileImagesTest {
    static Path dir;
    static Path ufs1;
    static Path ufs2;

    @BeforeAll
    static void images() throws Exception {
        dir = Trees.target().resolve("hostile");
        Trees.delete(dir);
        Files.createDirectories(dir);
        Path tree = dir.resolve("tree");
        Files.createDirectories(tree.resolve("boot"));
        Files.writeString(tree.resolve("boot/loader.conf"), "x=\"1\"\n");
        byte[] big = new byte[3 << 20];
        new java.util.Random(1).nextBytes(big);
        Files.write(tree.resolve("big.bin"), big);
        ufs1 = Images.ufs(tree, 1, dir.resolve("ufs1.img"), "-o", "bsize=4096,fsize=512", "-s", "8m");
        ufs2 = Images.ufs(tree, 2, dir.resolve("ufs2.img"), "-o", "bsize=4096,fsize=512", "-s", "8m");
    }

    /** A copy of {@code src} with {@code bytes} written at {@code offset}. */
    static Path damaged(Path src, String name, long offset, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.copy(src, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), offset);
        }
        return p;
    }

    static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    static byte[] le64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    /** Where the root inode (2) of a makefs image lies: inode blocks start at fs_iblkno fragments. */
    static long rootInode(Path img, int version) throws Exception {
        ByteBuffer sb = ByteBuffer.wrap(Files.readAllBytes(img), 8192, 2048).slice().order(ByteOrder.LITTLE_ENDIAN);
        return (long) sb.getInt(16) * sb.getInt(52) + 2L * (version == 1 ? 128 : 256);
    }

    @Test
    void superblockFieldOutOfRange() throws Exception {
        Path p = damaged(ufs2, "bad-fsize.img", 8192 + 52, le32(3));
        assertOneLine(cli("ls", "-d", p.toString(), "/"), "disk0", "superblock at offset 0x2000");
    }

    @Test
    void directBlockPastTheEndOfTheDisk() throws Exception {
        long root = rootInode(ufs1, 1);
        Path p = damaged(ufs1, "bad-db.img", root + 40, le32(0x7fffff00));
        assertOneLine(cli("ls", "-d", p.toString(), "/"), "disk0:/", "block pointer");
    }

    /** An image cut short (a failed copy): the message says the image is shorter than its file system. */
    @Test
    void truncatedImageSaysSo() throws Exception {
        Path p = dir.resolve("truncated.img");
        Files.copy(ufs2, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.truncate(2 << 20); // big.bin runs past it
        }
        assertOneLine(cli("cat", "-d", p.toString(), "/big.bin"), "disk0:/big.bin", "lies past the end of the device",
                "the image is shorter than its file system says");
    }

    /**
     * A whole image compressed by each tool a download comes in (xz, gzip, bzip2, zstd): every command that
     * opens disks says so and names the command that decompresses it.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"xz,xz,unxz", "gzip,gz,gunzip", "bzip2,bz2,bunzip2",
        "zstd,zst,unzstd"})
    void compressedImageSaysSo(String tool, String suffix, String undo) throws Exception {
        userboot4j.testsupport.Require.tool(tool);
        Path p = dir.resolve("ufs2.img." + suffix);
        Processes.run(List.of("sh", "-c", tool + " -c \"$0\" > \"$1\"", ufs2.toString(), p.toString()), null);
        for (String command : List.of("inspect", "lsdev", "ls")) {
            assertOneLine(cli(command, "-d", p.toString()), p + " is " + tool + "-compressed: decompress it first ("
                    + undo + " " + p + ")");
        }
    }

    @Test
    void indirectBlockPastTheEndOfTheDisk() throws Exception {
        Processes.Result ok = cli("ls", "-d", ufs2.toString(), "/");
        assertThat(ok.out()).contains("big.bin");
        // big.bin is the first file makefs writes after boot/: find its inode through our own listing is not
        // needed; damaging every UFS2 inode's first indirect pointer in the first inode block does it.
        long root = rootInode(ufs2, 2);
        byte[] img = Files.readAllBytes(ufs2);
        Path p = dir.resolve("bad-ib.img");
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        for (long ino = 3; ino < 8; ino++) {
            long at = root + (ino - 2) * 256;
            if ((b.getShort((int) at) & 0170000) == 0100000 && b.getLong((int) at + 16) > 1 << 20) {
                b.putLong((int) at + 208, 0x7fffffff00L);
            }
        }
        Files.write(p, img);
        assertOneLine(cli("cat", "-d", p.toString(), "/big.bin"), "disk0:/big.bin", "block pointer");
    }

    @Test
    void directoryEntryBreakingItsBlock() throws Exception {
        long root = rootInode(ufs1, 1);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(ufs1)).order(ByteOrder.LITTLE_ENDIAN);
        long dirBlock = (b.getInt((int) root + 40) & 0xffffffffL) * 512;
        Path p = damaged(ufs1, "bad-direct.img", dirBlock + 4, new byte[] {(byte) 0xf0, 0x03});
        assertOneLine(cli("ls", "-d", p.toString(), "/"), "disk0:/", "directory entry at offset 0", "breaks");
    }

    @Test
    void indirectLoopEndsWithoutHanging() throws Exception {
        long root = rootInode(ufs2, 2);
        byte[] img = Files.readAllBytes(ufs2);
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        for (long ino = 3; ino < 8; ino++) {
            long at = root + (ino - 2) * 256;
            if ((b.getShort((int) at) & 0170000) == 0100000 && b.getLong((int) at + 16) > 1 << 20) {
                long single = b.getLong((int) at + 208);
                // The single indirect block points at itself in every slot: a loop a naive reader follows forever.
                for (int i = 0; i < 512; i++) {
                    b.putLong((int) (single * 512 + 8L * i), single);
                }
            }
        }
        Path p = dir.resolve("loop.img");
        Files.write(p, img);
        Processes.Result r = cli("cat", "-d", p.toString(), "/big.bin");
        assertThat(r.status()).as(r.err()).isIn(0, Sysexits.EX_DATAERR);
        assertThat(r.out().length()).isLessThanOrEqualTo(3 << 20);
        assertThat(r.err()).doesNotContain("\tat ");
    }

    /** A file whose size field says 4 GiB: reading it is refused by its size, not tried with an array. */
    @Test
    void lyingFileSizeIsNotAllocated() throws Exception {
        Path tree = dir.resolve("conf-tree");
        Files.createDirectories(tree.resolve("boot/defaults"));
        Files.writeString(tree.resolve("boot/defaults/loader.conf"), "loader_conf_files=\"/boot/loader.conf\"\n");
        Files.writeString(tree.resolve("boot/loader.conf"), "x=\"1\"\n");
        Path base = Images.ufs(tree, 2, dir.resolve("conf.img"), "-o", "bsize=4096,fsize=512", "-s", "4m");
        long root = rootInode(base, 2);
        byte[] img = Files.readAllBytes(base);
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        boolean done = false;
        for (long ino = 3; ino < 12; ino++) {
            long at = root + (ino - 2) * 256;
            if ((b.getShort((int) at) & 0170000) == 0100000 && b.getLong((int) at + 16) == 6) {
                b.putLong((int) at + 16, 4L << 30); // loader.conf, 6 bytes, now 4 GiB
                done = true;
            }
        }
        assertThat(done).isTrue();
        Path p = dir.resolve("huge-conf.img");
        Files.write(p, img);
        assertOneLine(cli("inspect", "-d", p.toString()), "/boot/loader.conf", "larger than");
    }

    /**
     * A gzip'd kernel that inflates to 1.5 GiB of zeros (1.5 MB compressed): refused by its size without ever
     * holding it, in a 256 MiB heap.
     */
    @Test
    void decompressionBombIsRefused() throws Exception {
        Path tree = dir.resolve("bomb-tree");
        Files.createDirectories(tree.resolve("boot/kernel"));
        Processes.run(List.of("sh", "-c", "head -c 1610612736 /dev/zero | gzip -1 > \"$0\"",
                tree.resolve("boot/kernel/kernel.gz").toString()), null);
        Processes.Result r = cli("inspect", "-h", tree.toString());
        assertOneLine(r, "/boot/kernel/kernel.gz", "decompresses to more than 1073741824 bytes");
    }

    /** Symbolic links that point at each other end the lookup after the loader's limit. */
    @Test
    void symlinkLoopEnds() throws Exception {
        Path tree = dir.resolve("loop-tree");
        Files.createDirectories(tree.resolve("boot"));
        Files.createSymbolicLink(tree.resolve("boot/a"), Path.of("b"));
        Files.createSymbolicLink(tree.resolve("boot/b"), Path.of("a"));
        Path img = Images.ufs(tree, 2, dir.resolve("symloop.img"), "-s", "4m");
        Processes.Result r = cli("cat", "-d", img.toString(), "/boot/a");
        assertThat(r.status()).as(r.err()).isEqualTo(Sysexits.EX_DATAERR);
        assertThat(r.err()).contains("/boot/a", "too many symbolic links").doesNotContain("\tat ");
    }

    @Test
    void partitionsBeyondTheDiskOrOverlapping() throws Exception {
        Path disk = Images.mbrBsd(ufs1, dir.resolve("mbr.img"));
        long size = Files.size(disk);
        Path beyond = damaged(disk, "mbr-beyond.img", 446 + 12, le32((int) (size / 512)));
        assertOneLine(cli("lsdev", "-d", beyond.toString()), "disk0", "partition 1", "outside the device");
        byte[] second = new byte[16];
        ByteBuffer e = ByteBuffer.wrap(second).order(ByteOrder.LITTLE_ENDIAN);
        e.put(4, (byte) 0x83).putInt(8, 100).putInt(12, 50);
        Path overlap = damaged(disk, "mbr-overlap.img", 446 + 16, second);
        assertOneLine(cli("lsdev", "-d", overlap.toString()), "disk0", "overlap");
    }

    @Test
    void noCommandWritesToAnImage() throws Exception {
        Path disk = Images.gpt(ufs2, dir.resolve("ro.img"));
        String before = DiskSha.of(disk);
        long mtime = Files.getLastModifiedTime(disk).toMillis();
        cli("lsdev", "-v", "-d", disk.toString());
        cli("ls", "-l", "-d", disk.toString(), "/");
        assertThat(cli("cat", "-d", disk.toString(), "/boot/loader.conf").out()).isEqualTo("x=\"1\"\n");
        cli("inspect", "-d", disk.toString());
        assertThat(DiskSha.of(disk)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(disk).toMillis()).isEqualTo(mtime);
    }

    static final class DiskSha {
        static String of(Path p) throws Exception {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(p)));
        }
    }
}
