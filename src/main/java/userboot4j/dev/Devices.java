package userboot4j.dev;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import userboot4j.BootException;
import userboot4j.disk.Disks;
import userboot4j.fs.FileSystem;
import userboot4j.fs.zfs.FeaturesForRead;
import userboot4j.fs.zfs.ZfsBoot;

/**
 * The loader's devices as userboot's conf.c registers them: the device switches host, disk and zfs, in the
 * order {@code lsdev} lists them, over bhyveload's {@code -h} directory and {@code -d} disks. It parses
 * device names (devparse), opens their file systems once each, and makes userboot's start-up choices:
 * currdev (extract_currdev), a ZFS bootonce, the boot-environment variables.
 */
public final class Devices implements AutoCloseable {
    private final HostDev host;
    private final UserbootDisk disk;
    private final ZfsDev zfs;
    private final List<Devsw> devsw;
    private final Map<String, FileSystem> opened = new HashMap<>();
    /** The first pool's one-time boot device, read from its labels once; empty when there is none. */
    private Optional<String> bootonce;

    private Devices(Disks disks, Path hostDir) {
        this.host = new HostDev(hostDir);
        this.disk = new UserbootDisk(disks);
        this.zfs = new ZfsDev(disk);
        this.devsw = List.of(host, disk, zfs);
    }

    /** The devices of bhyveload's {@code -d} images (disk0 first) and {@code -h} directory (or null). */
    public static Devices open(List<Path> images, Path hostDir) throws BootException {
        if (images.isEmpty() && hostDir == null) {
            throw new BootException.Usage("give the guest's disks with -d IMAGE, or its /boot with -h DIR");
        }
        return new Devices(Disks.open(images), hostDir);
    }

    /** command_lsdev: every switch's lines. */
    public List<String> lsdev(boolean verbose) throws BootException {
        List<String> out = new ArrayList<>();
        for (Devsw d : devsw) {
            out.addAll(d.print(verbose));
        }
        return out;
    }

    /** Warnings met while reading partition tables (a damaged primary GPT…). */
    public List<String> warnings() {
        return disk.disks().warnings();
    }

    /** devparse: the device {@code spec} starts with and the path after its colon. */
    public Devsw.Parsed parse(String spec) throws BootException {
        for (Devsw d : devsw) {
            if (spec.startsWith(d.name())) {
                return d.parse(spec);
            }
        }
        throw new DeviceException(spec, DeviceException.ENOENT);
    }

    /** The file system on {@code d}, opened on first use and kept until {@link #close()}. */
    public FileSystem fileSystem(Devdesc d) throws BootException {
        FileSystem fs = opened.get(d.toString());
        if (fs == null) {
            fs = FileSystems.decorated(d.devsw().open(d));
            opened.put(d.toString(), fs);
        }
        return fs;
    }

    /**
     * extract_currdev: the first pool's bootonce dataset if it exists, else its boot dataset; without a
     * pool, disk 0's best partition; without disks, {@code host0:}.
     */
    public String currdev() throws BootException {
        if (disk.disks().disks().isEmpty()) {
            return host.host0().toString();
        }
        if (zfs.pools().isEmpty()) {
            return disk.currdev().toString();
        }
        String once = bootonce();
        if (once != null) {
            try {
                Devsw.Parsed p = zfs.parse(once);
                if (p.path().isEmpty()) {
                    return p.device().toString();
                }
            } catch (BootException e) {
                // set_currdev refuses it; the boot dataset stays
            }
        }
        return zfs.bootDevice().toString();
    }

    /** The first pool's one-time boot device, or null (also without pools). */
    private String bootonce() throws BootException {
        if (bootonce == null) {
            bootonce = Optional.ofNullable(zfs.pools().isEmpty() ? null : ZfsBoot.bootonce(zfs.pools().get(0)));
        }
        return bootonce.orElse(null);
    }

    /** What the loader prints about the boot device before its configuration: a ZFS bootonce. */
    public List<String> messages() throws BootException {
        String once = bootonce();
        return once == null ? List.of() : List.of("zfs bootonce: " + once);
    }

    /**
     * The variables the loader sets from the ZFS pool it boots: the boot environments of the bootfs, and
     * with a one-time boot device, {@code zfs-bootonce} and {@code loaddev} set to it (loaddev even when
     * currdev's check refused it).
     */
    public Map<String, String> variables(String currdev) throws BootException {
        if (!currdev.startsWith("zfs:")) {
            return Map.of();
        }
        ZfsDev.Desc boot = zfs.bootDevice();
        Map<String, String> env = new LinkedHashMap<>(ZfsBoot.variables(zfs.dsl(boot.pool()), boot.toString()));
        String once = bootonce();
        if (once != null) {
            env.put("zfs-bootonce", once);
            env.put("loaddev", once);
        }
        return env;
    }

    /**
     * Why FreeBSD's loader would not boot from {@code currdev} (a pool it refuses, a file system it does not
     * find), each a sentence; empty when it would. Pools are judged by the loader that reads {@code known}.
     */
    public List<String> refusals(String currdev, FeaturesForRead known) throws BootException {
        if (currdev.startsWith(disk.name())) {
            return disk.refusals(disk.parse(currdev).device());
        }
        if (!currdev.startsWith("zfs:")) {
            return List.of();
        }
        ZfsDev.Desc d = (ZfsDev.Desc) zfs.parse(currdev).device();
        return ZfsBoot.refusals(zfs.pool(d.pool()), zfs.dsl(d.pool()), known).stream()
                .map(why -> "FreeBSD " + known.release() + "'s loader would refuse this pool: " + why).toList();
    }

    @Override
    public void close() throws BootException {
        for (FileSystem fs : opened.values()) {
            fs.close();
        }
        disk.disks().close();
    }
}
