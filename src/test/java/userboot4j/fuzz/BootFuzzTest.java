package userboot4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import userboot4j.BootException;
import userboot4j.fs.DirEntry;
import userboot4j.fs.FileData;
import userboot4j.fs.FileStat;
import userboot4j.fs.FileSystem;
import userboot4j.fs.host.HostFileSystem;
import userboot4j.loader.Userboot;
import userboot4j.testsupport.Trees;

/**
 * Whole boots of the probe tree with one of the guest's files written by the fuzzer: the kernel (ELF
 * headers, segments, symbols, module metadata), a module (sections, relocations, metadata, dependencies),
 * loader.conf (syntax, expansion, module lines and commands) and linker.hints. Only a one-line
 * BootException may come out; every boot that succeeds stays inside guest memory by construction.
 */
class BootFuzzTest {
    private static FileSystem probe;

    static synchronized FileSystem probe() {
        if (probe == null) {
            try {
                probe = HostFileSystem.open(Trees.probe());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return probe;
    }

    @FuzzTest(maxDuration = "10m")
    void kernel(byte[] kernel) {
        boot(Map.of("/boot/kernel/kernel", kernel, "/boot/loader.conf", new byte[0]));
    }

    @FuzzTest(maxDuration = "10m")
    void module(byte[] module) {
        boot(Map.of("/boot/kernel/probe_a.ko", module));
    }

    @FuzzTest(maxDuration = "10m")
    void loaderConf(byte[] conf) {
        boot(Map.of("/boot/loader.conf", conf));
    }

    @FuzzTest(maxDuration = "10m")
    void linkerHints(byte[] hints) {
        boot(Map.of("/boot/kernel/linker.hints", hints));
    }

    private static void boot(Map<String, byte[]> replaced) {
        try {
            Userboot.boot(new Replaced(probe(), replaced), new Userboot.Options(64L << 20, List.of()));
        } catch (BootException e) {
            Hostile.check(e);
        }
    }

    /** A file system with some files' bytes replaced (and those files present even where they were not). */
    private record Replaced(FileSystem base, Map<String, byte[]> files) implements FileSystem {
        @Override
        public String device() {
            return base.device();
        }

        @Override
        public FileStat stat(String path) throws BootException {
            byte[] b = files.get(path);
            return b != null ? new FileStat(FileStat.Kind.REGULAR, b.length) : base.stat(path);
        }

        @Override
        public FileData open(String path) throws BootException {
            byte[] b = files.get(path);
            return b != null ? FileData.of(path, b) : base.open(path);
        }

        @Override
        public List<DirEntry> readdir(String path) throws BootException {
            return new ArrayList<>(base.readdir(path));
        }
    }
}
