package userboot4j.loader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import userboot4j.BootException;
import userboot4j.fs.DirEntry;
import userboot4j.fs.FileData;
import userboot4j.fs.FileSystem;

/**
 * The guest's /boot/lua against FreeBSD's standard scripts. FreeBSD's loader runs whatever scripts the
 * guest holds; userboot4j does what the standard ones do, so a guest whose scripts differ is told which.
 * The standard files are known by their sha256 per release (lua-scripts.sha256, made by scripts/lua-digests).
 */
final class GuestScripts {
    static final String DIR = "/boot/lua";
    /** loader.lua runs it when it is there (try_include); no release installs it. */
    private static final String LOCAL = "local.lua";
    /** Larger than any standard script (the largest is some 24 KiB): not read, it differs. */
    private static final long MAX_SIZE = 1 << 20;
    /** Release → file name → sha256, releases oldest first. */
    private static final Map<String, Map<String, String>> STANDARD = standard();

    private GuestScripts() {
    }

    private static Map<String, Map<String, String>> standard() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        try (InputStream in = GuestScripts.class.getResourceAsStream("lua-scripts.sha256");
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split(" ");
                if (!line.startsWith("#") && f.length == 3) {
                    out.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[2], f[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
                    guest.put(e.name(), sha256(fs, DIR + "/" + e.name()));
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
        STANDARD.get(release).forEach((name, sha) -> {
            if (!guest.containsKey(name)) {
                differ.add(name + " (missing)");
            } else if (!sha.equals(guest.get(name))) {
                differ.add(name);
            }
        });
        if (guest.containsKey(LOCAL)) {
            differ.add(LOCAL);
        }
        return differ.isEmpty() ? null : "userboot4j: warning: " + DIR + " differs from FreeBSD " + release
                + "'s standard scripts (" + String.join(", ", differ) + "); booting as the standard scripts do";
    }

    /** The file's sha256 in hex; a file that cannot be read gets none, so that it differs. */
    private static String sha256(FileSystem fs, String path) throws BootException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every Java platform has SHA-256
        }
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
                md.update(buf, 0, n);
                pos += n;
            }
        } catch (BootException e) {
            return ""; // missing, not a file, outside the host directory, unreadable: not the standard file
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
