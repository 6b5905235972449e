package userboot4j.disk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import userboot4j.BootException;

/**
 * A readable range of a disk: the whole disk or one partition. Reads are bounds-checked against the range;
 * a read past its end is an error naming the device and offset, since hostile on-disk pointers lead there.
 */
public interface Volume {
    /** The loader's name of the device, without the colon: {@code disk0}, {@code disk0p2}, {@code disk0s1a}. */
    String name();

    long size();

    int sectorSize();

    /** Reads {@code len} bytes at {@code pos} (relative to the volume) into {@code dst[off..]}. */
    void read(long pos, byte[] dst, int off, int len) throws BootException;

    default ByteBuffer read(long pos, int len) throws BootException {
        byte[] b = new byte[len];
        read(pos, b, 0, len);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Copies [pos, pos+len) to {@code out}, by the operating system where it can (a disk image to a file or
     * pipe), without passing the bytes through the Java heap.
     */
    default void transferTo(long pos, long len, java.nio.channels.WritableByteChannel out) throws BootException {
        check(pos, len);
        byte[] buf = new byte[(int) Math.min(len, 1 << 20)];
        try {
            for (long done = 0; done < len; ) {
                int n = (int) Math.min(buf.length, len - done);
                read(pos + done, buf, 0, n);
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(buf, 0, n);
                while (b.hasRemaining()) {
                    out.write(b);
                }
                done += n;
            }
        } catch (java.io.IOException e) {
            throw new BootException.Io(name() + ": copy: " + e.getMessage(), e);
        }
    }

    /** Throws when [pos, pos+len) is not inside the volume. */
    default void check(long pos, long len) throws BootException {
        if (pos < 0 || len < 0 || pos > size() || len > size() - pos) {
            throw new BootException.InvalidFormat(String.format("%s: read of 0x%x bytes at offset 0x%x is past the "
                    + "end of the device (size 0x%x)", name(), len, pos, size()));
        }
    }

    /** The part [offset, offset+length) of this volume, named {@code name}. */
    default Volume slice(String name, long offset, long length) throws BootException {
        check(offset, length);
        Volume parent = this;
        return new Volume() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public long size() {
                return length;
            }

            @Override
            public int sectorSize() {
                return parent.sectorSize();
            }

            @Override
            public void read(long pos, byte[] dst, int off, int len) throws BootException {
                check(pos, len);
                parent.read(offset + pos, dst, off, len);
            }

            @Override
            public void transferTo(long pos, long len, java.nio.channels.WritableByteChannel out) throws BootException {
                check(pos, len);
                parent.transferTo(offset + pos, len, out);
            }
        };
    }
}
