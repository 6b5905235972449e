package userboot4j.kldxref;

import java.util.ArrayList;
import java.util.List;
import userboot4j.BootException;
import userboot4j.elf.PnpTable;

/**
 * A PNP table description ({@code MODULE_PNP_INFO} in sys/module.h: {@code TYPE:key;TYPE:key;...}) turned
 * into kldxref's list of elements: where each field sits in a table entry, and the shorter description
 * linker.hints carries, in which every integer becomes a 32-bit int and every string a counted string.
 */
final class PnpList {
    // pe_kind bits of kldxref.c: low nibble is the size of an integer field.
    static final int TYPE_SZ_MASK = 0x0f;
    static final int TYPE_FLAGGED = 0x10;
    static final int TYPE_INT = 0x20;
    static final int TYPE_PAIRED = 0x40;
    static final int TYPE_LE = 0x80;
    static final int TYPE_GE = 0x100;
    static final int TYPE_MASK = 0x200;
    static final int TYPE_U8 = 1 | TYPE_INT;
    static final int TYPE_V8 = 1 | TYPE_INT | TYPE_FLAGGED;
    static final int TYPE_G16 = 2 | TYPE_INT | TYPE_GE;
    static final int TYPE_L16 = 2 | TYPE_INT | TYPE_LE;
    static final int TYPE_M16 = 2 | TYPE_INT | TYPE_MASK;
    static final int TYPE_U16 = 2 | TYPE_INT;
    static final int TYPE_V16 = 2 | TYPE_INT | TYPE_FLAGGED;
    static final int TYPE_U32 = 4 | TYPE_INT;
    static final int TYPE_V32 = 4 | TYPE_INT | TYPE_FLAGGED;
    static final int TYPE_W32 = 4 | TYPE_INT | TYPE_PAIRED;
    static final int TYPE_D = 7;
    static final int TYPE_Z = 8;
    static final int TYPE_E = 10;
    static final int TYPE_T = 11;
    /** kldxref's buffers: type names up to 8 characters, keys shorter than 32. */
    static final int TYPE_MAX = 8;
    static final int KEY_BUF = 32;
    /** D and Z strings are read into a buffer this size. */
    static final int STRING_MAX = 1024;

    /** One field of an entry (pnp_elt): its kind, offset in the entry and key. */
    record Element(int kind, int offset, String key) {
        /** Bytes the field occupies in an entry; T fields occupy none. */
        int size(int pointerSize) {
            if ((kind & TYPE_INT) != 0) {
                return kind & TYPE_SZ_MASK;
            }
            return switch (kind) {
                case TYPE_E -> 4;
                case TYPE_T -> 0;
                default -> pointerSize;
            };
        }
    }

    private final List<Element> elements;
    private final String compact;

    private PnpList(List<Element> elements, String compact) {
        this.elements = elements;
        this.compact = compact;
    }

    /** The description linker.hints carries (kldxref's new_desc). */
    String compact() {
        return compact;
    }

    /** parse_pnp_list: fields are aligned to their own size (strings to a pointer); P fields only take room. */
    static PnpList parse(String desc, int pointerSize, String where) throws BootException {
        List<Element> out = new ArrayList<>();
        StringBuilder nd = new StringBuilder();
        int walker = 0;
        int off = 0;
        while (walker < desc.length()) {
            int colon = desc.indexOf(':', walker);
            int semi = desc.indexOf(';', walker);
            if (colon < 0 || (semi >= 0 && semi < colon) || colon - walker > TYPE_MAX) {
                throw bad(desc, where);
            }
            String type = desc.substring(walker, colon);
            String key;
            if (semi >= 0) {
                if (semi - colon >= KEY_BUF) {
                    throw bad(desc, where);
                }
                key = desc.substring(colon + 1, semi);
                walker = semi + 1;
                while (walker < desc.length() && isSpace(desc.charAt(walker))) {
                    walker++;
                }
            } else {
                key = desc.substring(colon + 1);
                if (key.length() >= KEY_BUF) {
                    throw bad(desc, where);
                }
                walker = desc.length();
            }
            if (type.equals("P")) {
                off += pointerSize;
                continue;
            }
            int kind = kind(type, desc, where);
            int size = new Element(kind, 0, key).size(pointerSize);
            int offset = kind == TYPE_T ? off : roundup(off, size);
            off = offset + size;
            out.add(new Element(kind, offset, key));
            if ((kind & TYPE_PAIRED) != 0) {
                // W32 holds two 16-bit halves, named "first/second": one int each.
                for (String word : key.split("/")) {
                    if (!word.isEmpty()) {
                        nd.append((kind & TYPE_FLAGGED) != 0 ? 'J' : 'I').append(':').append(word).append(';');
                    }
                }
            } else {
                nd.append(letter(kind)).append(':').append(key).append(';');
            }
        }
        return new PnpList(List.copyOf(out), nd.toString());
    }

    private static int kind(String type, String desc, String where) throws BootException {
        return switch (type) {
            case "U8" -> TYPE_U8;
            case "V8" -> TYPE_V8;
            case "G16" -> TYPE_G16;
            case "L16" -> TYPE_L16;
            case "M16" -> TYPE_M16;
            case "U16" -> TYPE_U16;
            case "V16" -> TYPE_V16;
            case "U32" -> TYPE_U32;
            case "V32" -> TYPE_V32;
            case "W32" -> TYPE_W32;
            case "D" -> TYPE_D;
            case "Z" -> TYPE_Z;
            case "E" -> TYPE_E;
            case "T" -> TYPE_T;
            default -> throw bad(desc, where);
        };
    }

    /** What the field becomes in the compact description: J for "all ones is a wildcard", E shown as Z. */
    private static char letter(int kind) {
        if ((kind & TYPE_FLAGGED) != 0) {
            return 'J';
        } else if ((kind & TYPE_GE) != 0) {
            return 'G';
        } else if ((kind & TYPE_LE) != 0) {
            return 'L';
        } else if ((kind & TYPE_MASK) != 0) {
            return 'M';
        } else if ((kind & TYPE_INT) != 0) {
            return 'I';
        }
        return switch (kind) {
            case TYPE_D -> 'D';
            case TYPE_T -> 'T';
            default -> 'Z';
        };
    }

    private static int roundup(int x, int align) {
        return (x + align - 1) / align * align;
    }

    /** isspace(3) in the C locale. */
    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static BootException bad(String desc, String where) {
        return new BootException.InvalidFormat(where + ": parse error of description string \"" + desc + "\"");
    }

    /** Every field must lie inside an entry; kldxref does not check, and would read past the table. */
    void checkFits(PnpTable t, String where) throws BootException {
        for (Element e : elements) {
            if (e.offset() + e.size(t.pointerSize()) > t.entryLen()) {
                throw new BootException.InvalidFormat(String.format(
                        "%s: field %s at offset %d (%d bytes) lies outside its %d-byte entries",
                        where, e.key(), e.offset(), e.size(t.pointerSize()), t.entryLen()));
            }
        }
    }

    /** The values of entry {@code i} as kldxref writes them: ints, except D, Z and E strings. */
    void writeEntry(HintsRecord r, PnpTable t, int i) throws BootException {
        for (Element e : elements) {
            if (e.kind() == TYPE_W32) {
                long v = t.unsigned(i, e.offset(), 4);
                r.putInt((int) (v & 0xffff));
                r.putInt((int) (v >>> 16));
            } else if ((e.kind() & TYPE_INT) != 0) {
                int size = e.kind() & TYPE_SZ_MASK;
                long v = t.unsigned(i, e.offset(), size);
                boolean wildcard = (e.kind() & TYPE_FLAGGED) != 0 && v == (1L << (8 * size)) - 1;
                r.putInt(wildcard ? -1 : (int) v);
            } else if (e.kind() == TYPE_E) {
                r.putString(eisaFormat((int) t.unsigned(i, e.offset(), 4)));
            } else if (e.kind() != TYPE_T) {
                // Like kldxref, a pointer that leads nowhere (some tables describe a field they lack) reads as "".
                long p = t.pointer(i, e.offset());
                String s = p == 0 ? null : t.strings().at(p, STRING_MAX);
                r.putString(s == null ? "" : s);
            }
        }
    }

    /** pnp_eisaformat: a compressed EISA id (three 5-bit letters, four hex digits) as text, e.g. PNP0501. */
    static String eisaFormat(int id) {
        int b0 = id & 0xff;
        int b1 = (id >>> 8) & 0xff;
        int b2 = (id >>> 16) & 0xff;
        int b3 = (id >>> 24) & 0xff;
        String hex = "0123456789abcdef";
        return new String(new char[] {(char) ('@' + ((b0 & 0x7c) >> 2)), (char) ('@' + (((b0 & 0x3) << 3) + ((b1 & 0xe0) >> 5))),
            (char) ('@' + (b1 & 0x1f)), hex.charAt(b2 >> 4), hex.charAt(b2 & 0xf), hex.charAt(b3 >> 4), hex.charAt(b3 & 0xf)});
    }
}
