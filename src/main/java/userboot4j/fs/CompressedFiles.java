package userboot4j.fs;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import userboot4j.BootException;

/**
 * The loader's gzipfs and bzipfs over another file system: a file that is not there is looked for as
 * {@code NAME.gz}, then {@code NAME.bz2}, and read decompressed. A name that exists is always taken as it
 * is; names already ending in .gz, .bz2 or .split are not looked for again. Nothing is inflated into
 * memory: a first pass counts the decompressed size (refusing past a limit, which stops decompression
 * bombs), and reads decompress once into a temporary file, which serves reads that go backwards (gzipfs's
 * seek decompresses from the start again, which made a kernel.gz take 50 times as long as its bytes).
 */
public final class CompressedFiles implements FileSystem {
    /** Decompressed files larger than this are refused. */
    public static final long MAX_SIZE = 1L << 30;
    private static final List<String> SUFFIXES = List.of(".gz", ".bz2", ".split");

    private final FileSystem inner;
    /** Decompressed sizes by compressed path, each counted once. */
    private final java.util.Map<String, Long> sizes = new java.util.HashMap<>();

    public CompressedFiles(FileSystem inner) {
        this.inner = inner;
    }

    @Override
    public String device() {
        return inner.device();
    }

    /** The compressed file standing in for {@code path}, or null. */
    private String alternative(String path) throws BootException {
        if (SUFFIXES.stream().anyMatch(path::endsWith)) {
            return null;
        }
        for (String s : List.of(".gz", ".bz2")) {
            if (inner.isRegularFile(path + s)) {
                return path + s;
            }
        }
        return null;
    }

    @Override
    public FileStat stat(String path) throws BootException {
        try {
            return inner.stat(path);
        } catch (BootException.NotFound e) {
            String alt = alternative(path);
            if (alt == null) {
                throw e;
            }
            return new FileStat(FileStat.Kind.REGULAR, size(alt));
        }
    }

    @Override
    public FileData open(String path) throws BootException {
        try {
            return inner.open(path);
        } catch (BootException.NotFound e) {
            String alt = alternative(path);
            if (alt == null) {
                throw e;
            }
            return new Inflated(path, alt, size(alt));
        }
    }

    /** The decompressed size of {@code path}, counted by decompressing it once into nowhere. */
    private long size(String path) throws BootException {
        Long known = sizes.get(path);
        if (known != null) {
            return known;
        }
        byte[] buf = new byte[1 << 16];
        long total = 0;
        try (Decompressed d = new Decompressed(path)) {
            for (int n; (n = d.in.read(buf)) > 0; ) {
                total += n;
                if (total > MAX_SIZE) {
                    throw new BootException.InvalidFormat(device() + ":" + path + ": decompresses to more than "
                            + MAX_SIZE + " bytes");
                }
            }
        } catch (IOException e) {
            throw bad(path, e);
        }
        sizes.put(path, total);
        return total;
    }

    private BootException bad(String path, IOException e) {
        return new BootException.InvalidFormat(device() + ":" + path + ": not a valid "
                + (path.endsWith(".gz") ? "gzip" : "bzip2") + " file: " + e.getMessage());
    }

    /** The compressed file {@code path} opened and decompressing from its start. */
    private final class Decompressed implements AutoCloseable {
        final FileData file;
        final InputStream in;

        Decompressed(String path) throws BootException {
            file = inner.open(path);
            try {
                InputStream raw = stream(file);
                in = path.endsWith(".gz") ? new GzipCompressorInputStream(raw) : new BZip2CompressorInputStream(raw);
            } catch (IOException e) {
                file.close();
                throw bad(path, e);
            }
        }

        @Override
        public void close() throws BootException {
            file.close();
        }
    }

    /**
     * A decompressed file, decompressed once: what the stream has produced so far is kept in a temporary
     * file (the heap stays small, whatever the size), so that a read going backwards — an ELF loader
     * returning to the headers, the symbols after the segments — costs no second decompression.
     */
    private final class Inflated implements FileData {
        private final String path;
        private final String compressed;
        private final long size;
        private Decompressed current;
        private java.nio.channels.FileChannel kept;
        /** How far the stream has decompressed, all of it in {@code kept}. */
        private long at;

        Inflated(String path, String compressed, long size) {
            this.path = path;
            this.compressed = compressed;
            this.size = size;
        }

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
            if (pos >= size || len <= 0) {
                return 0;
            }
            int want = (int) Math.min(len, size - pos);
            try {
                if (current == null) {
                    current = new Decompressed(compressed);
                    kept = java.nio.channels.FileChannel.open(java.nio.file.Files.createTempFile("userboot4j-", ".inflated"),
                            java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE,
                            java.nio.file.StandardOpenOption.DELETE_ON_CLOSE);
                }
                byte[] buf = new byte[1 << 16];
                while (at < pos + want) {
                    int n = current.in.read(buf, 0, (int) Math.min(buf.length, pos + want - at));
                    if (n <= 0) {
                        break;
                    }
                    kept.write(java.nio.ByteBuffer.wrap(buf, 0, n), at);
                    at += n;
                }
                int n = (int) Math.max(0, Math.min(want, at - pos));
                java.nio.ByteBuffer into = java.nio.ByteBuffer.wrap(dst, off, n);
                while (into.hasRemaining()) {
                    if (kept.read(into, pos + into.position() - off) <= 0) {
                        break;
                    }
                }
                return into.position() - off;
            } catch (IOException e) {
                throw bad(compressed, e);
            }
        }

        @Override
        public void close() throws BootException {
            if (current != null) {
                current.close();
                current = null;
                try {
                    kept.close();
                } catch (IOException e) {
                    // the temporary file goes with the process
                }
            }
        }
    }

    /** A FileData as an InputStream; read errors surface as IOExceptions carrying the BootException. */
    private static InputStream stream(FileData f) {
        return new InputStream() {
            private long pos;

            @Override
            public int read() throws IOException {
                byte[] b = new byte[1];
                return read(b, 0, 1) <= 0 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    int n = f.read(pos, b, off, len);
                    if (n <= 0) {
                        return -1;
                    }
                    pos += n;
                    return n;
                } catch (BootException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }
        };
    }

    @Override
    public List<DirEntry> readdir(String path) throws BootException {
        return inner.readdir(path);
    }

    @Override
    public void close() throws BootException {
        inner.close();
    }
}
