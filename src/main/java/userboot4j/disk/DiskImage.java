package userboot4j.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import userboot4j.BootException;

/**
 * One {@code -d} disk: an image file or a block device, always opened read-only. Its size is the file's,
 * or for a block device what Linux reports in /sys/class/block. Sectors are 512 bytes, as bhyveload
 * reports for every disk, unless the image carries a GPT made for 4096-byte sectors.
 */
public final class DiskImage implements Volume, AutoCloseable {
    public static final int MAX_DISKS = 32;
    private final String name;
    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final int sectorSize;

    private DiskImage(String name, Path path, FileChannel channel, long size, int sectorSize) {
        this.name = name;
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.sectorSize = sectorSize;
    }

    /** Opens {@code path} as unit {@code unit} ({@code diskN}). */
    public static DiskImage open(Path path, int unit) throws BootException {
        String name = "disk" + unit;
        try {
            if (!Files.exists(path)) {
                throw new BootException.NotFound(path + ": no such disk image");
            }
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
            long size = ch.size();
            if (size == 0 && !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                size = blockDeviceSize(path);
            }
            DiskImage probe = new DiskImage(name, path, ch, size, 512);
            byte[] head = new byte[(int) Math.min(size, CompressedImage.HEAD)];
            try {
                probe.read(0, head, 0, head.length);
                CompressedImage.refuse(path.toString(), head);
            } catch (BootException e) {
                ch.close();
                throw e;
            }
            return new DiskImage(name, path, ch, size, Gpt.sectorSize(probe));
        } catch (IOException e) {
            throw new BootException.Io(path + ": cannot open disk image: " + e.getMessage(), e);
        }
    }

    private static long blockDeviceSize(Path path) throws IOException {
        Path sys = Path.of("/sys/class/block", path.toRealPath().getFileName().toString(), "size");
        return Files.exists(sys) ? Long.parseLong(Files.readString(sys).trim()) * 512 : 0;
    }

    @Override
    public String name() {
        return name;
    }

    public Path path() {
        return path;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int sectorSize() {
        return sectorSize;
    }

    @Override
    public void read(long pos, byte[] dst, int off, int len) throws BootException {
        check(pos, len);
        try {
            ByteBuffer b = ByteBuffer.wrap(dst, off, len);
            while (b.hasRemaining()) {
                if (channel.read(b, pos + (b.position() - off)) < 0) {
                    throw new BootException.Io(String.format("%s (%s): unexpected end at offset 0x%x", name, path,
                            pos + b.position() - off), null);
                }
            }
        } catch (IOException e) {
            throw new BootException.Io(String.format("%s (%s): read at offset 0x%x: %s", name, path, pos,
                    e.getMessage()), e);
        }
    }

    @Override
    public void transferTo(long pos, long len, java.nio.channels.WritableByteChannel out) throws BootException {
        check(pos, len);
        try {
            for (long done = 0; done < len; ) {
                long n = channel.transferTo(pos + done, len - done, out);
                if (n <= 0) {
                    throw new BootException.Io(String.format("%s (%s): copy stopped at offset 0x%x", name, path,
                            pos + done), null);
                }
                done += n;
            }
        } catch (IOException e) {
            throw new BootException.Io(String.format("%s (%s): copy at offset 0x%x: %s", name, path, pos,
                    e.getMessage()), e);
        }
    }

    @Override
    public void close() throws BootException {
        try {
            channel.close();
        } catch (IOException e) {
            throw new BootException.Io(name + ": " + e.getMessage(), e);
        }
    }
}
