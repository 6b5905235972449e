package userboot4j.vmm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import userboot4j.loader.Metadata;
import userboot4j.loader.PreloadedFile;
import userboot4j.loader.PreparedBoot;

/**
 * The probe kernel's COM1 report (fixtures/probe/README.md) parsed, and the report a boot should
 * produce, derived from its files and environment.
 */
public final class ProbeReport {
    final Map<String, Long> reg = new HashMap<>();
    final Map<String, Long> stack = new HashMap<>();
    final List<String> records = new ArrayList<>();
    final List<String> env = new ArrayList<>();
    String end;

    static ProbeReport parse(String console) {
        ProbeReport r = new ProbeReport();
        for (String line : console.split("\n")) {
            if (line.startsWith("REG ")) {
                fields(line, r.reg);
            } else if (line.startsWith("STACK ")) {
                fields(line, r.stack);
            } else if (line.startsWith("MI ")) {
                r.records.add(line.substring(3));
            } else if (line.startsWith("ENV ")) {
                r.env.add(line.substring(4));
            } else if (line.startsWith("PROBE END ")) {
                r.end = line.substring(10);
            }
        }
        return r;
    }

    private static void fields(String line, Map<String, Long> into) {
        for (String f : line.substring(line.indexOf(' ') + 1).split(" ")) {
            int eq = f.indexOf('=');
            into.put(f.substring(0, eq), Long.parseUnsignedLong(f.substring(eq + 3), 16));
        }
    }

    /** The MI lines the probe prints for the boot's modinfo records, in order. */
    static List<String> expectedRecords(PreparedBoot prepared, boolean kern64) {
        List<String> out = new ArrayList<>();
        for (PreloadedFile f : prepared.files()) {
            out.add(string(0x1, f.name()));
            out.add(string(0x2, f.type()));
            if (f.args() != null) {
                out.add(string(0x6, f.args()));
            }
            out.add(number(0x3, f.addr(), kern64 ? 8 : 4));
            out.add(number(0x4, f.size(), 8));
            for (Metadata m : f.metadata()) {
                if ((m.type() & Metadata.NOCOPY) == 0) {
                    out.add(bytes(0x8000 | m.type(), m.data()));
                }
            }
        }
        return out;
    }

    private static String string(int type, String s) {
        return String.format("type=0x%x size=%d str=%s", type, s.length() + 1, s);
    }

    private static String number(int type, long v, int size) {
        return String.format("type=0x%x size=%d %s=0x%x", type, size, size == 8 ? "u64" : "u32", v);
    }

    private static String bytes(int type, byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        if (data.length == 8) {
            return number(type, b.getLong(0), 8);
        }
        if (data.length == 4) {
            return number(type, b.getInt(0) & 0xffffffffL, 4);
        }
        long h = 0xcbf29ce484222325L;
        for (byte x : data) {
            h ^= x & 0xff;
            h *= 0x100000001b3L;
        }
        return String.format("type=0x%x size=%d fnv=0x%x", type, data.length, h);
    }
}
