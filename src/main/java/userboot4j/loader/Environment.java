package userboot4j.loader;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The loader's environment. libsa keeps its variables sorted by name in byte order (a new name goes before
 * the first greater one), and the kernel receives them in that order, so a sorted map is the whole model.
 * A variable may have no value (set from a string without '='); it is passed as {@code name=}.
 * Names and values are byte strings, one char per byte (ISO-8859-1), as the loader handles them.
 */
public final class Environment {
    private static final Comparator<String> BYTE_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.ISO_8859_1), b.getBytes(StandardCharsets.ISO_8859_1));

    private final TreeMap<String, Optional<String>> vars = new TreeMap<>(BYTE_ORDER);

    public void set(String name, String value) {
        vars.put(name, Optional.ofNullable(value));
    }

    /** {@code putenv}: "name=value" sets, a string without '=' sets a variable with no value. */
    public void put(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq < 0) {
            set(assignment, null);
        } else {
            set(assignment.substring(0, eq), assignment.substring(eq + 1));
        }
    }

    public void unset(String name) {
        vars.remove(name);
    }

    /** The value, or null when unset or set without a value. */
    public String get(String name) {
        Optional<String> v = vars.get(name);
        return v == null ? null : v.orElse(null);
    }

    public boolean isSet(String name) {
        return vars.containsKey(name);
    }

    /** "name=value" strings in the order of the environment block. */
    public List<String> entries() {
        List<String> out = new ArrayList<>(vars.size());
        for (Map.Entry<String, Optional<String>> e : vars.entrySet()) {
            out.add(e.getKey() + "=" + e.getValue().orElse(""));
        }
        return out;
    }

    /** The block {@code bi_copyenv} writes: each "name=value" NUL-terminated, then one more NUL. */
    public byte[] block() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String s : entries()) {
            out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            out.write(0);
        }
        out.write(0);
        return out.toByteArray();
    }
}
