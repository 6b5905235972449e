package userboot4j.loader;

import java.nio.charset.StandardCharsets;
import userboot4j.BootException;
import userboot4j.fs.FileData;
import userboot4j.fs.FileStat;

/**
 * boot.c's {@code getrootmount}: unless {@code vfs.root.mountfrom} is set, the first line of the root
 * device's /etc/fstab that mounts "/" gives {@code vfs.root.mountfrom=FSTYPE:DEVICE} and its options.
 */
final class RootMount {
    /** The loader reads fstab lines into a 128-byte buffer. */
    private static final int MAX_LINE = 127;
    private static final int MAX_FSTAB = 1 << 20;

    private RootMount() {
    }

    static void set(Loader ctx, String currdev) throws BootException {
        Environment env = ctx.env();
        if (env.isSet("vfs.root.mountfrom")) {
            return;
        }
        String text = fstab(ctx);
        if (text != null) {
            for (String line : text.split("[\r\n]")) {
                String[] f = fields(line.length() > MAX_LINE ? line.substring(0, MAX_LINE) : line);
                if (f != null) {
                    env.set("vfs.root.mountfrom", f[1] + ":" + f[0]);
                    if (!env.isSet("vfs.root.mountfrom.options")) {
                        env.set("vfs.root.mountfrom.options", f[2]);
                    }
                    return;
                }
            }
        }
        if (currdev.startsWith("zfs:")) {
            env.set("vfs.root.mountfrom", currdev.substring(0, currdev.length() - 1));
        }
    }

    /**
     * Device, file system type and options of an fstab line that mounts "/", or null. The device ends at
     * the first blank (a line starting with one has an empty device); the mount point must be exactly "/".
     */
    static String[] fields(String line) {
        if (line.isEmpty() || line.charAt(0) == '#') {
            return null;
        }
        int p = 0;
        int n = line.length();
        while (p < n && !blank(line.charAt(p))) {
            p++;
        }
        if (p == n) {
            return null;
        }
        String dev = line.substring(0, p);
        p = skipBlanks(line, p);
        if (p + 1 >= n || line.charAt(p) != '/' || !blank(line.charAt(p + 1))) {
            return null;
        }
        p = skipBlanks(line, p + 2);
        int start = p;
        while (p < n && !blank(line.charAt(p))) {
            p++;
        }
        if (start == n) {
            return null;
        }
        String fstype = line.substring(start, p);
        p = skipBlanks(line, Math.min(p + 1, n));
        start = p;
        while (p < n && !blank(line.charAt(p))) {
            p++;
        }
        if (start == n) {
            return null;
        }
        return new String[] {dev, fstype, line.substring(start, p)};
    }

    private static int skipBlanks(String s, int p) {
        while (p < s.length() && blank(s.charAt(p))) {
            p++;
        }
        return p;
    }

    private static boolean blank(char c) {
        return c == ' ' || c == '\t' || c == 0x0b || c == '\f';
    }

    private static String fstab(Loader ctx) throws BootException {
        try {
            FileStat st = ctx.fs().stat("/etc/fstab");
            if (!st.isRegular()) {
                return null;
            }
            try (FileData f = ctx.fs().open("/etc/fstab")) {
                byte[] b = new byte[(int) Math.min(f.size(), MAX_FSTAB)];
                f.readFully(0, b.length).get(b);
                return new String(b, StandardCharsets.ISO_8859_1);
            }
        } catch (BootException.NotFound e) {
            return null;
        }
    }
}
