package userboot4j.testsupport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Disk images made by independent tools at test time: UFS1/UFS2 file systems by Debian's makefs, GPT
 * tables by sgdisk, MBR tables by sfdisk; the BSD label inside an MBR slice, for which Debian has no tool,
 * is written here from sys/sys/disklabel.h's layout.
 */
public final class Images {
    private Images() {
    }

    /** One of the shared UFS fixtures ({@code ../shared/fixtures/ufs}), unpacked under target/ once. */
    public static Path sharedUfs(String xz) throws Exception {
        Path src = Require.sharedFixture("fixtures/ufs/" + xz);
        Require.tool("xz");
        Path out = Trees.target().resolve("ufs-fixtures").resolve(xz.replace(".xz", ""));
        if (!Files.exists(out)) {
            Files.createDirectories(out.getParent());
            Path tmp = out.resolveSibling(out.getFileName() + ".part");
            Processes.run(List.of("sh", "-c", "xz -dc \"$0\" > \"$1\"", src.toString(), tmp.toString()), null);
            Files.move(tmp, out);
        }
        return out;
    }

    /** {@code makefs -t ffs -o version=V} of {@code tree}. */
    public static Path ufs(Path tree, int version, Path out, String... options) throws Exception {
        Require.tool("makefs");
        Files.deleteIfExists(out);
        List<String> cmd = new java.util.ArrayList<>(List.of("makefs", "-t", "ffs", "-o", "version=" + version));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of(out.toString(), tree.toString()));
        Processes.run(cmd, null);
        return out;
    }

    /** An ISO 9660 image with Rock Ridge of {@code tree}, by xorriso. */
    public static Path iso(Path tree, Path out) throws Exception {
        Require.tool("xorriso");
        Files.deleteIfExists(out);
        Processes.run(List.of("xorriso", "-as", "mkisofs", "-R", "-quiet", "-o", out.toString(), tree.toString()), null);
        return out;
    }

    /** A GPT disk: a freebsd-boot partition, then {@code fs} in a freebsd-ufs partition (number 2). */
    public static Path gpt(Path fs, Path out) throws Exception {
        Require.tool("sgdisk");
        long fsSectors = (Files.size(fs) + 511) / 512;
        long start = 4096; // sgdisk aligns partitions to 1 MiB
        long total = start + fsSectors + 2048;
        Files.deleteIfExists(out);
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(new byte[1]), total * 512 - 1);
        }
        Processes.run(List.of("sgdisk", "-n", "1:2048:+128", "-t", "1:a501", "-n", "2:" + start + ":+" + fsSectors,
                "-t", "2:a503", out.toString()), null);
        String info = Processes.run(List.of("sgdisk", "-i", "2", out.toString()), null);
        if (!info.contains("First sector: " + start + " ")) {
            throw new AssertionError("sgdisk placed partition 2 elsewhere: " + info);
        }
        copyInto(fs, out, start * 512);
        return out;
    }

    /**
     * An MBR disk whose first slice (FreeBSD, active) holds a BSD label with {@code fs} as partition a, 16
     * sectors into the slice, and the raw partition c covering the slice.
     */
    public static Path mbrBsd(Path fs, Path out) throws Exception {
        Require.tool("sfdisk");
        long fsSectors = (Files.size(fs) + 511) / 512;
        long sliceStart = 63;
        long sliceSectors = 16 + fsSectors;
        Files.deleteIfExists(out);
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[1]), (sliceStart + sliceSectors + 64) * 512 - 1);
        }
        Process p = new ProcessBuilder("sfdisk", "--no-reread", "-q", out.toString()).redirectErrorStream(true).start();
        p.getOutputStream().write(("label: dos\nstart=" + sliceStart + ", size=" + sliceSectors + ", type=a5, bootable\n")
                .getBytes());
        p.getOutputStream().close();
        String msg = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new AssertionError("sfdisk: " + msg);
        }
        ByteBuffer label = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        int magic = 0x82564557;
        label.putInt(0, magic).putInt(40, 512).putInt(44, 63).putInt(48, 16).putInt(52, 63 * 16)
                .putInt(60, (int) sliceSectors).putInt(132, magic).putShort(138, (short) 8).putInt(140, 8192);
        int a = 148;
        label.putInt(a, (int) fsSectors).putInt(a + 4, 16).put(a + 12, (byte) 7);
        int c = 148 + 2 * 16;
        label.putInt(c, (int) sliceSectors).putInt(c + 4, 0);
        short sum = 0;
        for (int i = 0; i < 148 + 8 * 16; i += 2) {
            sum ^= label.getShort(i);
        }
        label.putShort(136, sum);
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.WRITE)) {
            ch.write(label.rewind(), (sliceStart + 1) * 512);
        }
        copyInto(fs, out, (sliceStart + 16) * 512);
        return out;
    }

    private static void copyInto(Path src, Path dst, long offset) throws Exception {
        try (FileChannel in = FileChannel.open(src); FileChannel out = FileChannel.open(dst, StandardOpenOption.WRITE)) {
            long done = 0;
            while (done < in.size()) {
                done += in.transferTo(done, in.size() - done, out.position(offset + done));
            }
        }
    }
}
