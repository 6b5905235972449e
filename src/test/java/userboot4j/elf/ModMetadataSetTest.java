package userboot4j.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import userboot4j.fs.host.HostFileSystem;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Trees;

/**
 * Module metadata of kernels (through the dynamic hash table) and of relocatable modules (through their
 * relocations), against FreeBSD's own linker.hints and the probe fixtures' declared graph.
 */
class ModMetadataSetTest {
    private static Set<String> hints(Path tree) throws Exception {
        String dump = Processes.run(List.of("python3", Path.of("src/test/resources/userboot4j/hints-dump.py")
                .toAbsolutePath().toString(), tree.resolve("boot/kernel/linker.hints").toString()), null);
        return new HashSet<>(List.of(dump.split("\n")));
    }

    /** Places every section at a distinct nonzero address, as a loader would. */
    private static long[] placeAll(ElfFile elf) {
        long[] addr = new long[elf.sections().size()];
        long at = 0x1000000;
        for (SectionHeader s : elf.sections()) {
            if (s.index() != 0) {
                at = (at + 63) & ~63L;
                addr[s.index()] = at;
                at += Math.max(s.size(), 1);
            }
        }
        return addr;
    }

    @Test
    void genericKernelVersionsAreThoseKldxrefRecorded() throws Exception {
        Path tree = Trees.generic();
        Set<String> hints = hints(tree);
        Set<String> ours = new HashSet<>();
        try (HostFileSystem fs = HostFileSystem.open(tree)) {
            for (ModMetadata m : ModMetadataSet.ofExecutable(ElfFile.read(fs.open("/boot/kernel/kernel")))) {
                if (m instanceof ModMetadata.Version v) {
                    ours.add(v.name() + " " + v.version() + " kernel");
                }
            }
        }
        Set<String> kernelHints = new HashSet<>();
        for (String h : hints) {
            if (h.endsWith(" kernel")) {
                kernelHints.add(h);
            }
        }
        assertThat(ours).isEqualTo(kernelHints).contains("sysvmsg 1 kernel", "kernel 1302001 kernel");
    }

    @Test
    void genericModuleThroughItsRelocations() throws Exception {
        Path tree = Trees.generic();
        try (HostFileSystem fs = HostFileSystem.open(tree)) {
            ElfFile elf = ElfFile.read(fs.open("/boot/kernel/linux64.ko"));
            List<ModMetadata> md = ModMetadataSet.ofObject(elf, placeAll(elf));
            List<String> deps = new ArrayList<>();
            for (ModMetadata m : md) {
                if (m instanceof ModMetadata.Depend d) {
                    deps.add(d.name());
                }
            }
            assertThat(deps).contains("kernel", "linux_common", "sysvmsg", "sysvsem", "sysvshm");
            assertThat(md).contains(new ModMetadata.Version("linux64", 1));
            assertThat(hints(tree)).contains("linux64 1 linux64.ko");
        }
    }

    @Test
    void probeModuleDeclaresItsGraph() throws Exception {
        try (HostFileSystem fs = HostFileSystem.open(Trees.probe())) {
            ElfFile elf = ElfFile.read(fs.open("/boot/kernel/probe_a.ko"));
            assertThat(ModMetadataSet.ofObject(elf, placeAll(elf))).containsExactlyInAnyOrder(
                    new ModMetadata.Module("probe_a"), new ModMetadata.Version("probe_a", 1),
                    new ModMetadata.Depend("kernel", 1302001, 1302001, 1399999),
                    new ModMetadata.Depend("probe_b", 1, 1, 1), new ModMetadata.Depend("probe_ver", 1, 2, 3),
                    new ModMetadata.Depend("probe_builtin", 1, 2, 2));
            ElfFile kernel = ElfFile.read(fs.open("/boot/kernel/kernel"));
            assertThat(ModMetadataSet.ofExecutable(kernel)).contains(new ModMetadata.Version("kernel", 1302001),
                    new ModMetadata.Version("probe_builtin", 2), new ModMetadata.Module("probe_builtin"));
        }
    }
}
