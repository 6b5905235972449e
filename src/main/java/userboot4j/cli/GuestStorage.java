package userboot4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import userboot4j.BootException;
import userboot4j.disk.DeviceName;
import userboot4j.disk.DiskImage;
import userboot4j.disk.Disks;
import userboot4j.disk.Partition;
import userboot4j.disk.PartitionTable;
import userboot4j.disk.Volume;
import userboot4j.fs.CompressedFiles;
import userboot4j.fs.FileSystem;
import userboot4j.fs.cd9660.Cd9660FileSystem;
import userboot4j.fs.host.HostFileSystem;
import userboot4j.fs.ufs.UfsFileSystem;
import userboot4j.fs.zfs.Dsl;
import userboot4j.fs.zfs.Spa;
import userboot4j.fs.zfs.ZfsBoot;
import userboot4j.fs.zfs.ZfsFileSystem;
import userboot4j.fs.zfs.ZfsPools;

/**
 * The guest's storage as bhyveload gives it to the loader: {@code -d} disks and the {@code -h} directory,
 * the ZFS pools on the disks, and the file systems on them by device name. {@code currdev} is what
 * userboot picks: the first pool's boot dataset when a pool was found, else a disk device when there are
 * disks, else {@code host0}.
 */
final class GuestStorage implements AutoCloseable {
    private final Disks disks;
    private final Path hostDir;
    private List<ZfsPools.Pool> pools;
    /** Why devices' checksummed ZFS labels gave no pool, for the message when a pool is not found. */
    private final List<String> undecodable = new ArrayList<>();
    /** The first pool's one-time boot device, read from its labels once; empty when there is none. */
    private java.util.Optional<String> bootonce;
    private final Map<String, Dsl> datasets = new HashMap<>();

    private GuestStorage(Disks disks, Path hostDir) {
        this.disks = disks;
        this.hostDir = hostDir;
    }

    static GuestStorage open(List<Path> images, Path hostDir) throws BootException {
        if (images.isEmpty() && hostDir == null) {
            throw new BootException.Usage("give the guest's disks with -d IMAGE, or its /boot with -h DIR");
        }
        return new GuestStorage(images.isEmpty() ? null : Disks.open(images), hostDir);
    }

    Disks disks() {
        return disks;
    }

    /** The name userboot gives currdev, without the colon. */
    String currdev() throws BootException {
        if (disks == null) {
            return HostFileSystem.DEVICE;
        }
        if (!pools().isEmpty()) {
            String once = bootonce();
            return once != null && isDataset(once) ? once.substring(0, once.length() - 1) : bootDevice();
        }
        return disks.currdev().toString();
    }

    /**
     * The ZFS pools on the disks, in the order userboot_zfs_probe meets them: disk by disk, the whole disk,
     * then its partitions (and the BSD partitions inside MBR slices).
     */
    List<ZfsPools.Pool> pools() throws BootException {
        if (pools == null) {
            List<Volume> volumes = new ArrayList<>();
            if (disks != null) {
                for (DiskImage d : disks.disks()) {
                    volumes.add(d);
                    partitions(d, d.name(), volumes);
                }
            }
            pools = ZfsPools.discover(volumes, undecodable);
        }
        return pools;
    }

    /** Adds the partitions of {@code v} (named after {@code prefix}) to {@code out}, slices' labels too. */
    void partitions(Volume v, String prefix, List<Volume> out) throws BootException {
        PartitionTable t = disks.table(v);
        for (Partition p : t.partitions()) {
            String name = partitionName(prefix, t, p);
            Volume pv = v.slice(name, p.start(), p.length());
            out.add(pv);
            if (t.scheme() == PartitionTable.Scheme.MBR) {
                partitions(pv, name, out);
            }
        }
    }

    /** The loader's name of partition {@code p} of table {@code t} on the device named {@code prefix}. */
    static String partitionName(String prefix, PartitionTable t, Partition p) {
        return prefix + switch (t.scheme()) {
            case GPT -> "p" + p.index();
            case MBR -> "s" + p.index();
            default -> String.valueOf((char) ('a' + p.index()));
        };
    }

    /** The datasets of the pool named {@code pool}. */
    Dsl dsl(String pool) throws BootException {
        Dsl d = datasets.get(pool);
        if (d == null) {
            ZfsPools.Pool p = pools().stream().filter(x -> x.name().equals(pool)).findFirst().orElseThrow(
                    () -> new BootException.NotFound("zfs:" + pool + ": no such pool on the given disks"
                            + (undecodable.isEmpty() ? "" : " (" + String.join("; ", undecodable) + ")")));
            d = new Dsl(new Spa(p));
            datasets.put(pool, d);
        }
        return d;
    }

    /** Why FreeBSD's loader would not boot from the pool of device {@code name}; empty when it would. */
    List<String> refusals(String name) throws BootException {
        if (!name.startsWith("zfs:")) {
            return List.of();
        }
        String pool = poolOf(name);
        ZfsPools.Pool p = pools().stream().filter(x -> x.name().equals(pool)).findFirst().orElseThrow();
        return ZfsBoot.refusals(p, dsl(pool));
    }

    /** The first pool's one-time boot device, or null (also without disks or pools). */
    private String bootonce() throws BootException {
        if (bootonce == null) {
            bootonce = java.util.Optional.ofNullable(disks == null || pools().isEmpty() ? null
                    : ZfsBoot.bootonce(pools().get(0)));
        }
        return bootonce.orElse(null);
    }

    /** What the loader prints about the boot device before its configuration: a ZFS bootonce. */
    List<String> deviceMessages() throws BootException {
        String once = bootonce();
        return once == null ? List.of() : List.of("zfs bootonce: " + once);
    }

    /** Whether {@code device} is a {@code zfs:POOL/DATASET:} device that exists, as currdev's set hook checks. */
    private boolean isDataset(String device) throws BootException {
        if (!device.startsWith("zfs:") || !device.endsWith(":") || device.length() < 6) {
            return false;
        }
        String name = device.substring(4, device.length() - 1);
        String pool = poolOf("zfs:" + name);
        if (pools().stream().noneMatch(p -> p.name().equals(pool))) {
            return false;
        }
        try {
            dsl(pool).objset(name);
            return true;
        } catch (BootException.NotFound e) {
            return false;
        }
    }

    /** The first pool's boot dataset as a device: its bootfs, or its root dataset. */
    private String bootDevice() throws BootException {
        return "zfs:" + dsl(pools().get(0).name()).bootfs();
    }

    /**
     * The variables the loader sets from the ZFS pool it boots: the boot environments of the bootfs, and
     * with a one-time boot device, {@code zfs-bootonce} and {@code loaddev} set to it (loaddev even when
     * currdev's check refused it).
     */
    Map<String, String> deviceVariables(String currdev) throws BootException {
        if (!currdev.startsWith("zfs:")) {
            return Map.of();
        }
        String boot = bootDevice();
        Map<String, String> env = new java.util.LinkedHashMap<>(ZfsBoot.variables(dsl(poolOf(boot)), boot + ":"));
        String once = bootonce();
        if (once != null) {
            env.put("zfs-bootonce", once);
            env.put("loaddev", once);
        }
        return env;
    }

    private static String poolOf(String zfsDevice) {
        String dataset = zfsDevice.substring("zfs:".length());
        return dataset.contains("/") ? dataset.substring(0, dataset.indexOf('/')) : dataset;
    }

    /** The file system on device {@code name} ({@code host0}, {@code disk0p2}, …). */
    FileSystem fileSystem(String name) throws BootException {
        if (name.equals(HostFileSystem.DEVICE)) {
            if (hostDir == null) {
                throw new BootException.NotFound("host0: no host directory was given (-h)");
            }
            return new CompressedFiles(HostFileSystem.open(hostDir));
        }
        if (disks == null) {
            throw new BootException.NotFound(name + ": no disks were given (-d)");
        }
        if (name.startsWith("zfs:")) {
            return new CompressedFiles(new ZfsFileSystem(dsl(poolOf(name)), name.substring("zfs:".length())));
        }
        Volume v = disks.open(DeviceName.parse(name));
        FileSystem fs = UfsFileSystem.probe(v);
        if (fs == null) {
            fs = Cd9660FileSystem.probe(v);
        }
        if (fs == null) {
            throw new BootException.Unsupported(name + ": no file system the loader can read (UFS, ISO 9660) on "
                    + "this device");
        }
        return new CompressedFiles(fs);
    }

    @Override
    public void close() throws BootException {
        if (disks != null) {
            disks.close();
        }
    }
}
