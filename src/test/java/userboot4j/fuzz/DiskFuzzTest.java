package userboot4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import userboot4j.BootException;
import userboot4j.disk.Partition;
import userboot4j.disk.PartitionTable;
import userboot4j.disk.Volume;
import userboot4j.fs.DirEntry;
import userboot4j.fs.FileData;
import userboot4j.fs.FileSystem;
import userboot4j.fs.cd9660.Cd9660FileSystem;
import userboot4j.fs.ufs.UfsFileSystem;

/**
 * Guest disks as the fuzzer writes them: partition tables (MBR with EBR chains, GPT, BSD labels, also
 * nested), UFS and ISO 9660 file systems, walked as the loader walks them. Only a one-line BootException
 * may come out; Jazzer reports any other exception, an OutOfMemoryError or a hang.
 */
class DiskFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void partitionTables(byte[] disk) {
        try {
            Volume v = Hostile.volume(disk);
            PartitionTable t = PartitionTable.probe(v, new ArrayList<>());
            for (Partition p : t.partitions()) {
                PartitionTable.probe(v.slice("disk0x", p.start(), p.length()), new ArrayList<>());
            }
        } catch (BootException e) {
            Hostile.check(e);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void ufs(byte[] disk) {
        try {
            walk(UfsFileSystem.probe(Hostile.volume(disk)));
        } catch (BootException e) {
            Hostile.check(e);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void iso9660(byte[] disk) {
        try {
            walk(Cd9660FileSystem.probe(Hostile.volume(disk)));
        } catch (BootException e) {
            Hostile.check(e);
        }
    }

    /** Every directory two levels down and the first bytes of every file, as ls -R and cat would. */
    static void walk(FileSystem fs) throws BootException {
        if (fs == null) {
            return;
        }
        walk(fs, "/", 0);
        fs.isRegularFile("/boot/kernel/kernel");
    }

    private static void walk(FileSystem fs, String dir, int depth) throws BootException {
        for (DirEntry e : fs.readdir(dir)) {
            String path = dir + (dir.endsWith("/") ? "" : "/") + e.name();
            try {
                if (e.kind() == userboot4j.fs.FileStat.Kind.DIRECTORY && depth < 2) {
                    walk(fs, path, depth + 1);
                } else if (fs.stat(path).isRegular()) {
                    try (FileData f = fs.open(path)) {
                        f.read(0, new byte[4096], 0, 4096);
                        f.read(Math.max(0, f.size() - 100), new byte[100], 0, 100);
                    }
                }
            } catch (BootException x) {
                Hostile.check(x);
            }
        }
    }
}
