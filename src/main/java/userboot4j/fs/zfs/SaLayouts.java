package userboot4j.fs.zfs;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import userboot4j.BootException;

/**
 * A dataset's system-attribute layouts (OpenZFS sa_impl.h): the SA_ATTRS object names a REGISTRY ZAP
 * (attribute name → number, byte length, 0 for variable) and a LAYOUTS ZAP (layout number → the attribute
 * numbers in the order they are stored). An SA header names its layout and lists the lengths of its
 * variable-length attributes; the attributes follow the header, each variable one padded to 8 bytes.
 */
final class SaLayouts {
    static final String ZPL_SYMLINK = "ZPL_SYMLINK";
    static final SaLayouts NONE = new SaLayouts(Map.of(), Map.of(), Map.of());
    /** sa_lengths[] begins after sa_magic (4 bytes) and sa_layout_info (2 bytes). */
    static final int SA_LENGTHS = 6;

    private final Map<String, Integer> numbers;
    private final Map<Integer, Integer> lengths;
    private final Map<Integer, long[]> layouts;

    private SaLayouts(Map<String, Integer> numbers, Map<Integer, Integer> lengths, Map<Integer, long[]> layouts) {
        this.numbers = numbers;
        this.lengths = lengths;
        this.layouts = layouts;
    }

    /** The layouts of the object set whose meta dnode is {@code objset}, from its SA_ATTRS object. */
    static SaLayouts read(Dmu dmu, DnodePhys objset, long saAttrs, String where) throws BootException {
        Map<String, Long> master = Zap.entries(dmu, dmu.dnode(objset, saAttrs, where), where);
        Long registry = master.get("REGISTRY");
        Long layouts = master.get("LAYOUTS");
        if (registry == null || layouts == null) {
            throw new BootException.InvalidFormat(where + ": no REGISTRY or LAYOUTS");
        }
        Map<String, Integer> numbers = new HashMap<>();
        Map<Integer, Integer> lengths = new HashMap<>();
        for (Map.Entry<String, Long> e : Zap.entries(dmu, dmu.dnode(objset, registry, where), where + " REGISTRY").entrySet()) {
            int num = (int) (e.getValue() & 0xffff);
            numbers.put(e.getKey(), num);
            lengths.put(num, (int) (e.getValue() >>> 24 & 0xffff));
        }
        Map<Integer, long[]> byNumber = new HashMap<>();
        for (Map.Entry<String, long[]> e : Zap.arrays(dmu, dmu.dnode(objset, layouts, where),
                where + " LAYOUTS").entrySet()) {
            try {
                byNumber.put(Integer.parseInt(e.getKey()), e.getValue());
            } catch (NumberFormatException x) {
                throw new BootException.InvalidFormat(where + ": layout named '" + e.getKey() + "'");
            }
        }
        return new SaLayouts(numbers, lengths, byNumber);
    }

    /**
     * The attribute {@code name} in the SA buffer {@code sa} (positioned after its header, the header at
     * 0), as a buffer positioned at its bytes and limited to them; null when the layout has no such one.
     */
    ByteBuffer find(ByteBuffer sa, String name, String where) throws BootException {
        Integer want = numbers.get(name);
        long[] layout = layouts.get(sa.getShort(4) & 0x3ff);
        if (want == null || layout == null) {
            return null;
        }
        int at = sa.position();
        int variable = 0;
        for (long attr : layout) {
            Integer len = lengths.get((int) attr);
            if (len == null) {
                throw new BootException.InvalidFormat(where + ": layout names unregistered attribute " + attr);
            }
            if (len == 0) {
                int lp = SA_LENGTHS + 2 * variable++;
                if (lp + 2 > sa.position()) {
                    throw new BootException.InvalidFormat(where + ": more variable attributes than header lengths");
                }
                len = sa.getShort(lp) & 0xffff;
                if (attr != want) {
                    len = (len + 7) & ~7;
                }
            }
            if (at + len > sa.limit()) {
                throw new BootException.InvalidFormat(where + ": attribute " + attr + " runs past its buffer");
            }
            if (attr == want) {
                return sa.duplicate().position(at).limit(at + len);
            }
            at += len;
        }
        return null;
    }
}
