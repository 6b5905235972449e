package userboot4j.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import userboot4j.BootException;

/**
 * A {@code linker.hints} file as kldxref(8) writes it: an int version (1), then records of
 * {int length, int type, payload}. The loader only reads MDT_VERSION records:
 * {u8 len, module name, int version (4-aligned from the start of the records), u8 len, file name}.
 * Records the loader skips (MDT_MODULE, MDT_PNP_INFO) are skipped here too.
 */
public final class LinkerHints {
    public static final int VERSION = 1;
    public static final int MAX_SIZE = 1 << 20;
    static final int MDT_VERSION = 3;

    /** One MDT_VERSION record: module {@code module} version {@code version} is in {@code file}. */
    public record VersionRecord(String module, int version, String file) {
    }

    private final List<VersionRecord> versions;

    private LinkerHints(List<VersionRecord> versions) {
        this.versions = versions;
    }

    public List<VersionRecord> versions() {
        return versions;
    }

    /**
     * Decodes the file's bytes. A wrong version or size makes the loader ignore the file, so those return
     * null; a record that runs past the end is an error naming its offset.
     */
    public static LinkerHints parse(String path, byte[] data) throws BootException {
        if (data.length < 8 || data.length > MAX_SIZE) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != VERSION) {
            return null;
        }
        List<VersionRecord> out = new ArrayList<>();
        int base = 4; // alignment of int fields is measured from here, as the loader measures it
        int rec = base;
        while (rec < data.length) {
            if (data.length - rec < 8) {
                throw bad(path, rec, "truncated record header");
            }
            int len = b.getInt(rec);
            int type = b.getInt(rec + 4);
            if (len < 4 || len > data.length - rec - 4) {
                throw bad(path, rec, "record length " + len + " runs past the end of the file");
            }
            int end = rec + 4 + len;
            if (type == MDT_VERSION) {
                int p = rec + 8;
                String module = string(path, data, p, end);
                p += 1 + (data[p] & 0xff);
                p = base + ((p - base + 3) & ~3);
                if (p + 4 > end) {
                    throw bad(path, rec, "MDT_VERSION record too short");
                }
                int version = b.getInt(p);
                p += 4;
                out.add(new VersionRecord(module, version, string(path, data, p, end)));
            }
            rec = end;
        }
        return new LinkerHints(out);
    }

    private static String string(String path, byte[] data, int p, int end) throws BootException {
        if (p >= end || p + 1 + (data[p] & 0xff) > end) {
            throw bad(path, p, "string runs past its record");
        }
        return new String(data, p + 1, data[p] & 0xff, StandardCharsets.UTF_8);
    }

    private static BootException bad(String path, int off, String what) {
        return new BootException.InvalidFormat(String.format("%s: offset 0x%x: %s", path, off, what));
    }

    /**
     * mod_search_hints: the first record of {@code module} whose version is the preferred one (or any, with
     * no version info) wins at once; otherwise the highest version within range. Null when none fits.
     */
    public VersionRecord find(String module, Dependency verinfo) {
        VersionRecord best = null;
        for (VersionRecord r : versions) {
            if (!r.module().equals(module)) {
                continue;
            }
            if (verinfo == null || r.version() == verinfo.preferred()) {
                return r;
            }
            if (r.version() >= verinfo.minimum() && r.version() <= verinfo.maximum()
                    && r.version() > (best == null ? 0 : best.version())) {
                best = r;
            }
        }
        return best;
    }
}
