package userboot4j.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** binutils' readelf, parsed: the independent view of an ELF file that tests compare against. */
public final class Readelf {
    public record Segment(String type, long offset, long vaddr, long paddr, long filesz, long memsz, String flags) {
    }

    public record Section(int index, String name, String type, long addr, long offset, long size, String flags,
            int link, int info, long align) {
    }

    /** A note: its owner, descriptor size, readelf's word for its type, and the descriptor's bytes in hex. */
    public record Note(String owner, long descsz, String type, String data) {
    }

    private static final Pattern PHDR = Pattern.compile(
            "^\\s+(\\S+)\\s+0x([0-9a-f]+)\\s+0x([0-9a-f]+)\\s+0x([0-9a-f]+)\\s+0x([0-9a-f]+)\\s+0x([0-9a-f]+)\\s+(.{3})\\s+(?:0x)?[0-9a-f]+\\s*$");
    private static final Pattern SHDR = Pattern.compile(
            "^\\s+\\[\\s*(\\d+)\\]\\s+(\\S*)\\s+(\\S+)\\s+([0-9a-f]+)\\s+([0-9a-f]+)\\s+([0-9a-f]+)\\s+[0-9a-f]+\\s+(\\S*)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s*$");

    private static final Pattern NOTE = Pattern.compile(
            "^\\s+(\\S+)\\s+0x([0-9a-f]+)\\s+(.*?)(?:\\s+description data: ((?:[0-9a-f]{2} ?)*))?\\s*$");

    private Readelf() {
    }

    public static List<Segment> segments(Path file) throws Exception {
        Require.tool("readelf");
        List<Segment> out = new ArrayList<>();
        for (String line : Processes.run(List.of("readelf", "-lW", file.toString()), null).split("\n")) {
            Matcher m = PHDR.matcher(line);
            if (m.matches()) {
                out.add(new Segment(m.group(1), hex(m.group(2)), hex(m.group(3)), hex(m.group(4)), hex(m.group(5)),
                        hex(m.group(6)), m.group(7).trim()));
            }
        }
        return out;
    }

    public static List<Section> sections(Path file) throws Exception {
        Require.tool("readelf");
        List<Section> out = new ArrayList<>();
        for (String line : Processes.run(List.of("readelf", "-SW", file.toString()), null).split("\n")) {
            Matcher m = SHDR.matcher(line);
            if (m.matches()) {
                out.add(new Section(Integer.parseInt(m.group(1)), m.group(2), m.group(3), hex(m.group(4)),
                        hex(m.group(5)), hex(m.group(6)), m.group(7), Integer.parseInt(m.group(8)),
                        Integer.parseInt(m.group(9)), Long.parseLong(m.group(10))));
            }
        }
        return out;
    }

    /** readelf -h's fields by name ("OS/ABI", "Type", ...), values as readelf words them. */
    public static Map<String, String> header(Path file) throws Exception {
        Require.tool("readelf");
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Processes.run(List.of("readelf", "-hW", file.toString()), null).split("\n")) {
            int colon = line.indexOf(':');
            if (line.startsWith("  ") && colon > 0) {
                out.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        return out;
    }

    /** readelf -n's notes, in file order. */
    public static List<Note> notes(Path file) throws Exception {
        Require.tool("readelf");
        List<Note> out = new ArrayList<>();
        for (String line : Processes.run(List.of("readelf", "-nW", file.toString()), null).split("\n")) {
            Matcher m = NOTE.matcher(line);
            if (m.matches()) {
                out.add(new Note(m.group(1), hex(m.group(2)), m.group(3).trim(),
                        m.group(4) == null ? "" : m.group(4).trim()));
            }
        }
        return out;
    }

    public static long entry(Path file) throws Exception {
        Require.tool("readelf");
        for (String line : Processes.run(List.of("readelf", "-hW", file.toString()), null).split("\n")) {
            if (line.trim().startsWith("Entry point address:")) {
                return Long.parseUnsignedLong(line.substring(line.indexOf(':') + 1).trim().substring(2), 16);
            }
        }
        throw new AssertionError("readelf -h shows no entry point for " + file);
    }

    private static long hex(String s) {
        return Long.parseUnsignedLong(s, 16);
    }
}
