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
 * bombs), and reads decompress from the start again whenever they go backwards, as gzipfs's seek does.
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

    /** A decompressed file: reads continue the stream, or start it again when they go backwards. */
    private final class Inflated implements FileData {
        private final String path;
        private final String compressed;
        private final long size;
        private Decompressed current;
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
            try {
                if (current == null || pos < at) {
                    close();
                    current = new Decompressed(compressed);
                    at = 0;
                }
                for (long skipped; at < pos; at += skipped) {
                    skipped = current.in.skip(pos - at);
                    if (skipped <= 0) {
                        return 0;
                    }
                }
                int n = current.in.readNBytes(dst, off, (int) Math.min(len, size - pos));
                at += n;
                return n;
            } catch (IOException e) {
                throw bad(compressed, e);
            }
        }

        @Override
        public void close() throws BootException {
            if (current != null) {
                current.close();
                current = null;
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
