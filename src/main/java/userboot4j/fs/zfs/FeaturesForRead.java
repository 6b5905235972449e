package userboot4j.fs.zfs;

import java.util.Set;
import java.util.TreeSet;

/**
 * The read-incompatible pool features a FreeBSD release's loader reads: its zfsimpl.c's features_for_read.
 * Features that are only read-only compatible are never listed; the loader needs nothing of them to read.
 * Each release's list also says what its block reader knows beyond 13.2: a loader that reads blake3 has its
 * checksum, and one that reads dynamic_gang_header reads gang headers sized by the vdev's ashift.
 */
public enum FeaturesForRead {
    /** FreeBSD 13.2 (stand/libsa/zfs/zfsimpl.c of 13.2-RELEASE, and the names its userboot.so holds). */
    FREEBSD_13("13.2", Set.of()),
    /** FreeBSD 14.x: 13.2's list with the root vdev's ZAP and blake3. */
    FREEBSD_14("14", Set.of(Names.VDEV_ZAPS_V2, Names.BLAKE3)),
    /** FreeBSD 15.1 (stand/libsa/zfs/zfsimpl.c of 15.1-RELEASE): 14.x's list with dynamic gang headers. */
    FREEBSD_15("15.1", Set.of(Names.VDEV_ZAPS_V2, Names.BLAKE3, Names.DYNAMIC_GANG_HEADER));

    /** Feature names that decide what the block reader does, not only whether a pool is accepted. */
    static final class Names {
        static final String BLAKE3 = "org.openzfs:blake3";
        static final String DYNAMIC_GANG_HEADER = "com.klarasystems:dynamic_gang_header";
        static final String VDEV_ZAPS_V2 = "com.klarasystems:vdev_zaps_v2";

        private Names() {
        }
    }

    /** FreeBSD 13.2's list, which every later release keeps. */
    private static final Set<String> FREEBSD_13_2 = Set.of("com.datto:bookmark_v2", "com.datto:encryption",
            "com.delphix:bookmark_written", "com.delphix:device_removal", "com.delphix:embedded_data",
            "com.delphix:extensible_dataset", "com.delphix:head_errlog", "com.delphix:hole_birth",
            "com.joyent:multi_vdev_crash_dump", "org.freebsd:zstd_compress", "org.illumos:lz4_compress",
            "org.illumos:sha512", "org.illumos:skein", "org.open-zfs:large_blocks", "org.zfsonlinux:large_dnode");

    private final String release;
    private final Set<String> added;

    FeaturesForRead(String release, Set<String> added) {
        this.release = release;
        this.added = added;
    }

    /** The release whose loader this is: 13.2, 14 (any 14.x) or 15.1. */
    public String release() {
        return release;
    }

    /** Whether this release's loader reads a pool on which {@code feature} (its guid) is active. */
    public boolean reads(String feature) {
        return FREEBSD_13_2.contains(feature) || added.contains(feature);
    }

    /** The whole list, sorted. */
    public Set<String> names() {
        Set<String> all = new TreeSet<>(FREEBSD_13_2);
        all.addAll(added);
        return all;
    }

    /** Whether the checksum table has blake3 (zfssubr.c's zio_checksum_table). */
    boolean blake3() {
        return reads(Names.BLAKE3);
    }

    /** Whether zio_read_gang sizes a gang header by the vdevs' ashift before falling back to 512 bytes. */
    boolean dynamicGangHeader() {
        return reads(Names.DYNAMIC_GANG_HEADER);
    }
}
