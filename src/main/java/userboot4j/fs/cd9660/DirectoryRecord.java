package userboot4j.fs.cd9660;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An ISO 9660 directory record (ECMA-119 9.1) with what Rock Ridge (RRIP over SUSP) adds in its system use
 * area: the POSIX name (NM), mode (PX) and symbolic link target (SL). Both-endian fields are read from
 * their little-endian half.
 */
record DirectoryRecord(int length, long extent, long size, boolean directory, String isoName, String rrName,
        Integer mode, String symlink, int systemUse) {
    static final int FLAG_DIRECTORY = 0x02;
    static final int S_IFMT = 0170000;
    static final int S_IFLNK = 0120000;

    /** Reads a SUSP continuation area (CE: block, offset, length); null when it cannot be read. */
    interface Continuation {
        ByteBuffer read(long block, long offset, long length) throws userboot4j.BootException;
    }

    /** Continuation areas followed for one record at most. */
    static final int MAX_CONTINUATIONS = 16;

    static DirectoryRecord decode(ByteBuffer b, int at, int skip) throws userboot4j.BootException {
        return decode(b, at, skip, null);
    }

    /** The record at {@code at}; {@code skip} is the SUSP skip length (from the root's SP entry). */
    static DirectoryRecord decode(ByteBuffer b, int at, int skip, Continuation ce) throws userboot4j.BootException {
        int len = b.get(at) & 0xff;
        int nameLen = b.get(at + 32) & 0xff;
        byte[] name = new byte[nameLen];
        b.get(at + 33, name);
        String iso = nameLen == 1 && name[0] == 0 ? "." : nameLen == 1 && name[0] == 1 ? ".."
                : new String(name, StandardCharsets.ISO_8859_1);
        int su = at + 33 + nameLen + ((nameLen & 1) == 0 ? 1 : 0);
        Susp s = new Susp();
        ByteBuffer area = b;
        int p = su + skip;
        int end = at + len;
        for (int n = 0; area != null && n <= MAX_CONTINUATIONS; n++) {
            long[] next = s.parse(area, p, end);
            area = next == null || ce == null ? null : ce.read(next[0], next[1], next[2]);
            p = 0;
            end = area == null ? 0 : area.capacity();
        }
        return new DirectoryRecord(len, b.getInt(at + 2) & 0xffffffffL, b.getInt(at + 10) & 0xffffffffL,
                (b.get(at + 25) & FLAG_DIRECTORY) != 0, iso, s.name == null ? null : s.name.toString(), s.mode,
                s.link == null ? null : s.link.toString(), su);
    }

    /** The Rock Ridge entries of one record, gathered across its continuation areas. */
    private static final class Susp {
        StringBuilder name;
        StringBuilder link;
        Integer mode;

        /** Parses entries in [p, end); returns the CE entry's block, offset and length, if any. */
        long[] parse(ByteBuffer b, int p, int end) {
            long[] next = null;
            while (p + 4 <= end) {
                int el = b.get(p + 2) & 0xff;
                if (el < 4 || p + el > end) {
                    break;
                }
                String sig = new String(new byte[] {b.get(p), b.get(p + 1)}, StandardCharsets.US_ASCII);
                switch (sig) {
                    case "NM" -> {
                        name = name == null ? new StringBuilder() : name;
                        name.append(new String(bytes(b, p + 5, el - 5), StandardCharsets.UTF_8));
                    }
                    case "PX" -> mode = b.getInt(p + 4);
                    case "SL" -> link = symlink(b, p, el, link);
                    case "CE" -> next = new long[] {b.getInt(p + 4) & 0xffffffffL, b.getInt(p + 12) & 0xffffffffL,
                        b.getInt(p + 20) & 0xffffffffL};
                    case "ST" -> {
                        return next;
                    }
                    default -> { }
                }
                p += el;
            }
            return next;
        }
    }

    /** SL components: flags (1 continue, 2 ".", 4 "..", 8 root), length, text. */
    private static StringBuilder symlink(ByteBuffer b, int p, int el, StringBuilder sofar) {
        StringBuilder out = sofar == null ? new StringBuilder() : sofar;
        boolean continued = sofar != null && sofar.length() > 0 && sofar.charAt(sofar.length() - 1) != '/';
        int q = p + 5;
        while (q + 2 <= p + el) {
            int flags = b.get(q) & 0xff;
            int len = b.get(q + 1) & 0xff;
            if (q + 2 + len > p + el) {
                break;
            }
            if (out.length() > 0 && !continued && out.charAt(out.length() - 1) != '/') {
                out.append('/');
            }
            if ((flags & 8) != 0) {
                out.setLength(0);
                out.append('/');
            } else if ((flags & 2) != 0) {
                out.append('.');
            } else if ((flags & 4) != 0) {
                out.append("..");
            } else {
                out.append(new String(bytes(b, q + 2, len), StandardCharsets.UTF_8));
            }
            continued = (flags & 1) != 0;
            q += 2 + len;
        }
        return out;
    }

    private static byte[] bytes(ByteBuffer b, int at, int len) {
        byte[] out = new byte[Math.max(len, 0)];
        b.get(at, out);
        return out;
    }

    /** The name the loader uses: Rock Ridge's if any, else the ISO name without its ";version" and bare dot. */
    String name() {
        if (rrName != null) {
            return rrName;
        }
        String n = isoName;
        int semi = n.indexOf(';');
        if (semi >= 0) {
            n = n.substring(0, semi);
        }
        return n.endsWith(".") && n.length() > 1 ? n.substring(0, n.length() - 1) : n;
    }

    boolean isSymlink() {
        return symlink != null || (mode != null && (mode & S_IFMT) == S_IFLNK);
    }
}
