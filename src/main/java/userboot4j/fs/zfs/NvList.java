package userboot4j.fs.zfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import userboot4j.BootException;

/**
 * A name-value list in the XDR encoding ZFS stores its configuration in (OpenZFS nvpair.h, nvpair.c): a
 * 4-byte header (encoding 1 = XDR), then the list: version, flags, pairs {encoded size, decoded size, name,
 * type, count, value}, and two zero words. Every length is checked against what is left; nesting is
 * bounded. Numbers become Long, strings String, nested lists NvList, arrays List.
 */
public final class NvList {
    static final int ENCODE_XDR = 1;
    static final int MAX_DEPTH = 16;
    static final int BOOLEAN = 1;
    static final int BYTE = 2;
    static final int INT16 = 3;
    static final int UINT16 = 4;
    static final int INT32 = 5;
    static final int UINT32 = 6;
    static final int INT64 = 7;
    static final int UINT64 = 8;
    static final int STRING = 9;
    static final int BYTE_ARRAY = 10;
    static final int INT16_ARRAY = 11;
    static final int UINT16_ARRAY = 12;
    static final int INT32_ARRAY = 13;
    static final int UINT32_ARRAY = 14;
    static final int INT64_ARRAY = 15;
    static final int UINT64_ARRAY = 16;
    static final int STRING_ARRAY = 17;
    static final int HRTIME = 18;
    static final int NVLIST = 19;
    static final int NVLIST_ARRAY = 20;
    static final int BOOLEAN_VALUE = 21;
    static final int INT8 = 22;
    static final int UINT8 = 23;

    private final Map<String, Object> pairs;

    private NvList(Map<String, Object> pairs) {
        this.pairs = pairs;
    }

    /** Decodes a packed nvlist (with its 4-byte header) found at {@code where} (for messages). */
    public static NvList unpack(byte[] data, String where) throws BootException {
        if (data.length < 4 || data[0] != ENCODE_XDR) {
            throw bad(where, 0, "not an XDR-encoded nvlist");
        }
        Reader r = new Reader(ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN), where);
        r.p = 4;
        return r.list(0);
    }

    public Map<String, Object> pairs() {
        return Collections.unmodifiableMap(pairs);
    }

    public Object get(String name) {
        return pairs.get(name);
    }

    public Long number(String name) {
        return pairs.get(name) instanceof Long l ? l : null;
    }

    public String string(String name) {
        return pairs.get(name) instanceof String s ? s : null;
    }

    public NvList list(String name) {
        return pairs.get(name) instanceof NvList l ? l : null;
    }

    /** An NVLIST_ARRAY (e.g. a vdev's children); empty when absent. */
    @SuppressWarnings("unchecked")
    public List<NvList> lists(String name) {
        return pairs.get(name) instanceof List<?> l && (l.isEmpty() || l.get(0) instanceof NvList)
                ? (List<NvList>) l : List.of();
    }

    static BootException bad(String where, int at, String what) {
        return new BootException.InvalidFormat(String.format("%s: nvlist at offset %d: %s", where, at, what));
    }

    private static final class Reader {
        final ByteBuffer b;
        final String where;
        int p;

        Reader(ByteBuffer b, String where) {
            this.b = b;
            this.where = where;
        }

        void need(long n) throws BootException {
            if (n < 0 || n > b.capacity() - p) {
                throw bad(where, p, "needs " + n + " bytes, " + (b.capacity() - p) + " are left");
            }
        }

        int i32() throws BootException {
            need(4);
            int v = b.getInt(p);
            p += 4;
            return v;
        }

        long i64() throws BootException {
            need(8);
            long v = b.getLong(p);
            p += 8;
            return v;
        }

        String str() throws BootException {
            int len = i32();
            need(len);
            String s = new String(b.array(), p, len, StandardCharsets.UTF_8);
            p += (len + 3) & ~3;
            return s;
        }

        NvList list(int depth) throws BootException {
            if (depth > MAX_DEPTH) {
                throw bad(where, p, "nested more than " + MAX_DEPTH + " deep");
            }
            i32(); // version
            i32(); // flags
            Map<String, Object> out = new LinkedHashMap<>();
            while (true) {
                int start = p;
                int encoded = i32();
                int decoded = i32();
                if (encoded == 0 && decoded == 0) {
                    return new NvList(out);
                }
                if (encoded < 16 || encoded > b.capacity() - start) {
                    throw bad(where, start, "pair of encoded size " + encoded);
                }
                String name = str();
                int type = i32();
                int n = i32();
                if (n < 0 || n > encoded) {
                    throw bad(where, start, "pair '" + name + "' claims " + n + " elements");
                }
                out.put(name, value(type, n, depth, name));
                if (p > start + encoded) {
                    // nested lists must stay inside their pair, or pairs could overlap and be decoded again
                    throw bad(where, start, "pair '" + name + "' runs past its encoded size " + encoded);
                }
                p = start + encoded;
            }
        }

        Object value(int type, int n, int depth, String name) throws BootException {
            switch (type) {
                case BOOLEAN:
                    return Boolean.TRUE;
                case BYTE: case INT8: case UINT8: case INT16: case UINT16: case INT32: case BOOLEAN_VALUE:
                    return (long) i32();
                case UINT32:
                    return i32() & 0xffffffffL;
                case INT64: case UINT64: case HRTIME:
                    return i64();
                case STRING:
                    return str();
                case NVLIST:
                    return list(depth + 1);
                case NVLIST_ARRAY: {
                    List<NvList> l = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        l.add(list(depth + 1));
                    }
                    return l;
                }
                case STRING_ARRAY: {
                    List<String> l = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        l.add(str());
                    }
                    return l;
                }
                case UINT64_ARRAY: case INT64_ARRAY: {
                    need(8L * n);
                    List<Long> l = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        l.add(i64());
                    }
                    return l;
                }
                case BYTE_ARRAY: {
                    need(n);
                    List<Long> l = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        l.add((long) (b.get(p + i) & 0xff));
                    }
                    p += (n + 3) & ~3;
                    return l;
                }
                case INT16_ARRAY: case UINT16_ARRAY: case INT32_ARRAY: case UINT32_ARRAY: {
                    need(4L * n);
                    List<Long> l = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        l.add((long) i32());
                    }
                    return l;
                }
                default:
                    throw bad(where, p, "pair '" + name + "' has unknown type " + type);
            }
        }
    }
}
