package userboot4j.loader;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import userboot4j.BootException;
import userboot4j.fs.DirEntry;
import userboot4j.fs.FileData;
import userboot4j.fs.FileSystem;

/**
 * The guest's /boot/lua against FreeBSD's standard scripts. FreeBSD's loader runs whatever scripts the
 * guest holds; userboot4j does what the standard ones do, so a guest whose scripts differ is told which.
 * The standard files are known by their CRC-32 and size per release ({@link StandardScripts}, made by
 * scripts/lua-digests): the answer is a warning, not a defence, and a CRC costs a boot no more than reading.
 */
final class GuestScripts {
    static final String DIR = "/boot/lua";
    /** loader.lua runs it when it is there (try_include); no release installs it. */
    private static final String LOCAL = "local.lua";
    /** Larger than any standard script (the largest is some 24 KiB): not read, it differs. */
    private static final long MAX_SIZE = 1 << 20;
    /** Release → file name → "CRC32 SIZE", releases oldest first. */
    private static final Map<String, Map<String, String>> STANDARD = standard();

    private GuestScripts() {
    }

    private static Map<String, Map<String, String>> standard() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (String line : StandardScripts.FILES) {
            String[] f = line.split(" ");
            out.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[3], f[1] + " " + f[2]);
        }
        return out;
    }

    /**
     * One warning line naming the guest's scripts that differ from the standard files of the release most of
     * them match (missing ones, changed ones, a local.lua), or null when they do not differ or there is no
     * /boot/lua.
     */
    static String check(FileSystem fs) throws BootException {
        Map<String, String> guest = new LinkedHashMap<>();
        try {
            for (DirEntry e : fs.readdir(DIR)) {
                if (e.name().equals(LOCAL) || STANDARD.values().stream().anyMatch(r -> r.containsKey(e.name()))) {
                    guest.put(e.name(), digest(fs, DIR + "/" + e.name()));
                }
            }
        } catch (BootException.NotFound | BootException.InvalidFormat e) {
            return null; // no /boot/lua: the scripts FreeBSD's loader would need are not there to differ
        }
        String release = null;
        long best = -1;
        for (Map.Entry<String, Map<String, String>> r : STANDARD.entrySet()) {
            long same = r.getValue().entrySet().stream().filter(f -> f.getValue().equals(guest.get(f.getKey()))).count();
            if (same > best) {
                release = r.getKey();
                best = same;
            }
        }
        List<String> differ = new ArrayList<>();
        STANDARD.get(release).forEach((name, digest) -> {
            if (!guest.containsKey(name)) {
                differ.add(name + " (missing)");
            } else if (!digest.equals(guest.get(name))) {
                differ.add(name);
            }
        });
        if (guest.containsKey(LOCAL)) {
            differ.add(LOCAL);
        }
        return differ.isEmpty() ? null : "userboot4j: warning: " + DIR + " differs from FreeBSD " + release
                + "'s standard scripts (" + String.join(", ", differ) + "); booting as the standard scripts do";
    }

    /** The file's CRC-32 (hex) and size; a file that cannot be read gets neither, so that it differs. */
    private static String digest(FileSystem fs, String path) throws BootException {
        CRC32 crc = new CRC32();
        try (FileData f = fs.open(path)) {
            if (f.size() > MAX_SIZE) {
                return "";
            }
            byte[] buf = new byte[64 * 1024];
            for (long pos = 0; pos < f.size(); ) {
                int n = f.read(pos, buf, 0, (int) Math.min(buf.length, f.size() - pos));
                if (n <= 0) {
                    return "";
                }
                crc.update(buf, 0, n);
                pos += n;
            }
            String hex = Long.toHexString(crc.getValue()); // no Formatter on the boot's path: it costs milliseconds
            return "00000000".substring(hex.length()) + hex + " " + f.size();
        } catch (BootException e) {
            return ""; // missing, not a file, outside the host directory, unreadable: not the standard file
        }
    }
}
