package userboot4j.fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import userboot4j.BootException;

/**
 * An open regular file, read at absolute offsets. Implementations are the file systems' readers; the
 * ELF code and the loader only see this.
 */
public interface FileData extends AutoCloseable {
    /** The path the file was opened by, for messages (e.g. {@code /boot/kernel/kernel}). */
    String path();

    long size();

    /**
     * Reads up to {@code len} bytes at {@code pos} into {@code dst[off..]}; returns the number read,
     * fewer only at the end of the file.
     */
    int read(long pos, byte[] dst, int off, int len) throws BootException;

    /**
     * Exactly {@code len} bytes at {@code pos} as a little-endian buffer; a range that does not lie
     * inside the file is an {@link BootException.InvalidFormat} naming the file, offset and length.
     */
    default ByteBuffer readFully(long pos, int len) throws BootException {
        byte[] b = new byte[Math.max(len, 0)];
        readFully(pos, b, len);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The same into the start of {@code dst}, which a caller can reuse for chunk after chunk. */
    default void readFully(long pos, byte[] dst, int len) throws BootException {
        if (pos < 0 || len < 0 || pos > size() || len > size() - pos) {
            throw new BootException.InvalidFormat(String.format(
                    "%s: 0x%x bytes at offset 0x%x run past the end of the file (size 0x%x)", path(), len, pos, size()));
        }
        int done = 0;
        while (done < len) {
            int n = read(pos + done, dst, done, len - done);
            if (n <= 0) {
                throw new BootException.InvalidFormat(String.format(
                        "%s: short read at offset 0x%x", path(), pos + done));
            }
            done += n;
        }
    }

    /** Copies the whole file to {@code out}; readers that know where their blocks lie do it without copies. */
    default void transferTo(java.nio.channels.WritableByteChannel out) throws BootException {
        byte[] buf = new byte[1 << 20];
        try {
            for (long pos = 0; pos < size(); ) {
                int n = read(pos, buf, 0, (int) Math.min(buf.length, size() - pos));
                if (n <= 0) {
                    throw new BootException.Io(path() + ": short read at offset " + pos, null);
                }
                ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                while (b.hasRemaining()) {
                    out.write(b);
                }
                pos += n;
            }
        } catch (java.io.IOException e) {
            throw new BootException.Io(path() + ": copy: " + e.getMessage(), e);
        }
    }

    @Override
    void close() throws BootException;

    /** How a file system reads {@code len} bytes at {@code pos}, a range that lies inside the file. */
    @FunctionalInterface
    interface Reader {
        void read(long pos, byte[] dst, int off, int len) throws BootException;
    }

    /** A file of {@code size} bytes whose reads, cut at the end of the file, go to {@code reader}. */
    static FileData of(String path, long size, Reader reader) {
        return new FileData() {
            @Override
            public String path() {
                return path;
            }

            @Override
            public long size() {
                return size;
            }

            @Override
            public int read(long pos, byte[] dst, int off, int len) throws BootException {
                if (pos >= size) {
                    return 0;
                }
                int n = (int) Math.min(len, size - pos);
                reader.read(pos, dst, off, n);
                return n;
            }

            @Override
            public void close() {
            }
        };
    }

    /** A file held in memory (e.g. decompressed). */
    static FileData of(String path, byte[] data) {
        return of(path, data.length, (pos, dst, off, len) -> System.arraycopy(data, (int) pos, dst, off, len));
    }
}
