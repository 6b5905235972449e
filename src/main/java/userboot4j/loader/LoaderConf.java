package userboot4j.loader;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The loader.conf language as FreeBSD 13's Lua loader ({@code stand/lua/config.lua}) parses it. Each line
 * is tried against a list of patterns in order; the first that matches and leaves only whitespace or a
 * comment after it wins. A value is either double-quoted (everything up to the last quote on the line) or
 * a single word. Module properties ({@code X_load}, {@code X_name}, …) are checked before plain
 * assignments, so {@code foo_load="YES"} never reaches the environment.
 */
final class LoaderConf {
    private static final String MODULE = "([-A-Za-z0-9_]+)";
    private static final String QUOTED = "\"(.*)\"";
    private static final String WORD = "([-A-Za-z0-9][-A-Za-z0-9_.]*)";
    private static final String ENV_NAME = "([A-Za-z0-9][-A-Za-z0-9_.]*)";
    private static final Pattern COMMENT_LINE = compile("(#.*)");
    private static final Pattern EXEC = compile("exec\\s*=\\s*" + QUOTED);
    private static final Pattern VALID_TAIL = Pattern.compile("\\s*(#.*)?", Pattern.DOTALL);
    private static final Pattern BLANK = Pattern.compile("\\s*", Pattern.DOTALL);
    private static final List<String> MODULE_PROPERTIES =
            List.of("load", "name", "type", "flags", "before", "after", "error");
    private static final Map<String, Pattern[]> PROPERTY_PATTERNS = new LinkedHashMap<>();
    private static final Pattern[] ENV_PATTERNS = valuePatterns(ENV_NAME + "\\s*=\\s*");

    static {
        for (String p : MODULE_PROPERTIES) {
            PROPERTY_PATTERNS.put(p, valuePatterns(MODULE + "_" + p + "\\s*=\\s*"));
        }
    }

    /** What the parser found; implemented by {@link Config}. */
    interface Sink {
        void moduleProperty(String module, String property, String value);

        void exec(String command);

        void assign(String name, String rawValue);

        void malformed(int lineNumber, String line);
    }

    private LoaderConf() {
    }

    private static Pattern compile(String body) {
        return Pattern.compile("^\\s*" + body + "\\s*(.*)", Pattern.DOTALL);
    }

    /** Quoted form first, then the single-word form, as config.lua's $VALUE expansion does. */
    private static Pattern[] valuePatterns(String prefix) {
        return new Pattern[] {compile(prefix + QUOTED), compile(prefix + WORD)};
    }

    /** Parses {@code text}; returns false if any line was malformed. */
    static boolean parse(String text, Sink sink) {
        boolean ok = true;
        int n = 0;
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue; // config.lua iterates over non-empty lines and numbers only those
            }
            n++;
            if (!BLANK.matcher(line).matches() && !parseLine(line, sink)) {
                sink.malformed(n, line);
                ok = false;
            }
        }
        return ok;
    }

    private static boolean parseLine(String line, Sink sink) {
        if (COMMENT_LINE.matcher(line).lookingAt()) {
            return true;
        }
        for (Map.Entry<String, Pattern[]> e : PROPERTY_PATTERNS.entrySet()) {
            Matcher m = firstMatch(e.getValue(), line);
            if (m != null) {
                if (!validTail(m.group(3))) {
                    return false;
                }
                String value = e.getKey().equals("load") ? m.group(2).toUpperCase(java.util.Locale.ROOT) : m.group(2);
                sink.moduleProperty(m.group(1), e.getKey(), value);
                return true;
            }
        }
        Matcher m = EXEC.matcher(line);
        if (m.lookingAt()) {
            if (!validTail(m.group(2))) {
                return false;
            }
            sink.exec(m.group(1));
            return true;
        }
        m = firstMatch(ENV_PATTERNS, line);
        if (m != null) {
            if (!validTail(m.group(3))) {
                return false;
            }
            sink.assign(m.group(1), m.group(2));
            return true;
        }
        return false;
    }

    private static Matcher firstMatch(Pattern[] patterns, String line) {
        for (Pattern p : patterns) {
            Matcher m = p.matcher(line);
            if (m.lookingAt()) {
                return m;
            }
        }
        return null;
    }

    private static boolean validTail(String tail) {
        return VALID_TAIL.matcher(tail).matches();
    }

    /**
     * config.lua's processEnvVar: backslash escapes the next character, {@code $name} and {@code ${name}}
     * expand to the current environment value (empty when unset), a bare double quote is an error.
     *
     * @return the expanded value, or null with {@code error[0]} set when the value is malformed
     */
    static String expand(String value, Environment env, String[] error) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        int n = value.length();
        while (i < n) {
            char c = value.charAt(i);
            if (c == '\\') {
                if (i == n - 1) {
                    error[0] = "Stray escape at end of line";
                    return null;
                }
                out.append(value.charAt(i + 1));
                i += 2;
            } else if (c == '"') {
                error[0] = "Stray quote at position '" + (i + 1) + "'";
                return null;
            } else if (c == '$') {
                if (i == n - 1) {
                    error[0] = "Unescaped $ at end of line";
                    return null;
                }
                boolean braced = value.charAt(i + 1) == '{';
                int start = braced ? i + 2 : i + 1;
                int end = start;
                if (braced) {
                    while (end < n && value.charAt(end) != '}') {
                        end++;
                    }
                    if (end == start || end == n) {
                        error[0] = "Malformed variable expression at position '" + (i + 1) + "'";
                        return null;
                    }
                } else {
                    if (!Character.isLetterOrDigit(value.charAt(start)) || value.charAt(start) > 0x7f) {
                        error[0] = "Malformed variable expression at position '" + (i + 1) + "'";
                        return null;
                    }
                    end = start + 1;
                    while (end < n && isNameChar(value.charAt(end))) {
                        end++;
                    }
                }
                String v = env.get(value.substring(start, end));
                out.append(v == null ? "" : v);
                i = braced ? end + 1 : end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static boolean isNameChar(char c) {
        return c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.');
    }
}
