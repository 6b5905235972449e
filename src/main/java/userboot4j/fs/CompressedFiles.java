package userboot4j.fs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import userboot4j.BootException;

/**
 * The loader's gzipfs and bzipfs over another file system: a file that is not there is looked for as
 * {@code NAME.gz}, then {@code NAME.bz2}, and read decompressed. A name that exists is always taken as it
 * is; names already ending in .gz, .bz2 or .split are not looked for again. The whole file is inflated
 * in memory (the loader needs random access to ELF files), up to a limit that stops decompression bombs.
 */
public final class CompressedFiles implements FileSystem {
    /** Decompressed files larger than this are refused. */
    public static final long MAX_SIZE = 1L << 30;
    private static final List<String> SUFFIXES = List.of(".gz", ".bz2", ".split");

    private final FileSystem inner;

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
            return new FileStat(FileStat.Kind.REGULAR, inflate(alt).length);
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
            return FileData.of(path, inflate(alt));
        }
    }

    private byte[] inflate(String path) throws BootException {
        try (FileData f = inner.open(path); InputStream raw = stream(f);
                InputStream in = path.endsWith(".gz") ? new GzipCompressorInputStream(raw)
                        : new BZip2CompressorInputStream(raw)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                if (out.size() + (long) n > MAX_SIZE) {
                    throw new BootException.InvalidFormat(device() + ":" + path + ": decompresses to more than "
                            + MAX_SIZE + " bytes");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new BootException.InvalidFormat(device() + ":" + path + ": not a valid "
                    + (path.endsWith(".gz") ? "gzip" : "bzip2") + " file: " + e.getMessage());
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
