package userboot4j.vmm.bhyve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import userboot4j.BootException;
import userboot4j.BootImage;
import userboot4j.amd64.EntryState;
import userboot4j.amd64.LoaderCall;
import userboot4j.amd64.Segment;
import userboot4j.fs.CompressedFiles;
import userboot4j.fs.host.HostFileSystem;
import userboot4j.loader.Userboot;
import userboot4j.testsupport.Trees;
import userboot4j.testsupport.VmmapiStub;
import userboot4j.testsupport.VmmapiStub.Build;
import userboot4j.testsupport.VmmapiStub.Call;
import userboot4j.vmm.offline.MemoryDump;

/**
 * The JNA binding against the stand-in libvmmapi built for each generation: every call bhyveload makes,
 * in its order, with its arguments, and guest memory, checked against the BootImage. A binding with a
 * wrong signature or a wrong register number must fail these checks.
 */
class BhyveVmTest {
    static final long MEMSIZE = 256L << 20;

    /** The C library's environment, which the stub reads for its log and memory files. */
    interface Env extends Library {
        Env C = Native.load("c", Env.class);

        int setenv(String name, String value, int overwrite);
    }

    @ParameterizedTest
    @EnumSource(value = Build.class, names = {"FBSD13", "FBSD14", "FBSD15"})
    void amd64ProbeKernel(Build build) throws Exception {
        BootImage image = probe(Trees.probe());
        List<Call> calls = load(Vmmapi.load(lib(build)), image);
        verify(calls, image, build != Build.FBSD13);
    }

    @ParameterizedTest
    @EnumSource(value = Build.class, names = {"FBSD13", "FBSD14", "FBSD15"})
    void i386ProbeKernel(Build build) throws Exception {
        BootImage image = probe(Trees.probe().resolve("i386"));
        assertThat(image.entry().mode()).isEqualTo(EntryState.Mode.I386);
        List<Call> calls = load(Vmmapi.load(lib(build)), image);
        verify(calls, image, build != Build.FBSD13);
    }

    @Test
    void theGenerationIsChosenByTheExportedSymbols() throws Exception {
        assertThat(Vmmapi.load(lib(Build.FBSD13)).generation).isEqualTo(Generation.FBSD13);
        assertThat(Vmmapi.load(lib(Build.FBSD14)).generation).isEqualTo(Generation.FBSD14);
        assertThat(Vmmapi.load(lib(Build.FBSD15)).generation).isEqualTo(Generation.FBSD15);
        String lib = lib(Build.WITHOUT_SETUP);
        assertThatThrownBy(() -> Vmmapi.load(lib)).isInstanceOf(BootException.class)
                .hasMessage(lib + " lacks vm_setup_freebsd_registers, vm_setup_freebsd_registers_i386: expected "
                        + "FreeBSD 15's libvmmapi (VMs made through /dev/vmmctl, vm_openf), FreeBSD 14's libvmmapi (vCPU calls taking a struct vcpu * from vm_vcpu_open) or FreeBSD "
                        + "13's libvmmapi (vCPU calls taking the VM context and a vCPU number)")
                .extracting(e -> ((BootException) e).exitCode()).isEqualTo(69);
    }

    /** The test of the test: FreeBSD 13's signatures against FreeBSD 14's library must not pass. */
    @Test
    void aWrongSignatureIsCaught() throws Exception {
        BootImage image = probe(Trees.probe());
        Vmmapi crossed = new Vmmapi(Native.load(lib(Build.FBSD14), Libvmmapi.Fbsd13.class), Generation.FBSD13);
        List<Call> calls = load(crossed, image);
        assertThatThrownBy(() -> verify(calls, image, true)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("vm_set_register");
    }

    /** The test of the test: RSP set through the number of the register before it (DR7) must not pass. */
    @Test
    void aWrongRegisterNumberIsCaught() throws Exception {
        BootImage image = probe(Trees.probe());
        Vmmapi right = Vmmapi.load(lib(Build.FBSD14));
        Vmmapi wrong = new Vmmapi(right.lib, right.generation) {
            @Override
            Vcpu vcpu(Pointer ctx, int id) {
                Vcpu v = super.vcpu(ctx, id);
                return new Vcpu() {
                    @Override
                    public int setRegister(int reg, long val) {
                        return v.setRegister(reg == VmRegName.VM_REG_GUEST_RSP ? reg - 1 : reg, val);
                    }

                    @Override
                    public int setDesc(int reg, long base, int limit, int access) {
                        return v.setDesc(reg, base, limit, access);
                    }

                    @Override
                    public int setupFreebsdRegisters(long rip, long cr3, long gdtbase, long rsp) {
                        return v.setupFreebsdRegisters(rip, cr3, gdtbase, rsp);
                    }

                    @Override
                    public int setupFreebsdRegistersI386(int eip, int gdtbase, int esp) {
                        return v.setupFreebsdRegistersI386(eip, gdtbase, esp);
                    }
                };
            }
        };
        List<Call> calls = load(wrong, image);
        assertThatThrownBy(() -> verify(calls, image, true)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("vm_set_register DR7 0x1000");
    }

    private static String lib(Build build) throws Exception {
        return VmmapiStub.library(build).resolve("libvmmapi.so").toString();
    }

    private static BootImage probe(Path tree) throws Exception {
        return Userboot.boot(new CompressedFiles(HostFileSystem.open(tree)), new Userboot.Options(MEMSIZE, List.of()))
                .image();
    }

    private static Path log;
    private static Path memory;

    /** Creates VM "probe" through {@code api}, loads {@code image} and returns the stub's log. */
    private static List<Call> load(Vmmapi api, BootImage image) throws Exception {
        log = Files.createTempFile(Trees.target(), "vmmapi-", ".log");
        memory = Trees.target().resolve("vmmapi-memory.bin");
        Env.C.setenv("VMMAPI_STUB_LOG", log.toString(), 1);
        Env.C.setenv("VMMAPI_STUB_MEMORY", memory.toString(), 1);
        BhyveVm vm = BhyveVm.create(api, "probe", BhyveVm.memflags(true, false), MEMSIZE);
        assertThat(vm.layout()).isEqualTo(image.memory());
        vm.load(image);
        List<Call> calls = VmmapiStub.parse(log);
        Files.delete(log);
        return calls;
    }

    /** The calls bhyveload makes for {@code image}, in order, and guest memory holding exactly its pages. */
    static void verify(List<Call> calls, BootImage image, boolean vcpuHandle) throws Exception {
        List<String> names = new ArrayList<>();
        for (Call c : calls) {
            if (!c.name().equals("state") && !c.name().equals("vm_map_gpa")) {
                names.add(c.name());
            }
        }
        List<String> expected = new ArrayList<>(List.of("vm_create", "vm_open"));
        if (vcpuHandle) {
            expected.add("vm_vcpu_open");
        }
        expected.addAll(List.of("vm_set_memflags", "vm_setup_memory", "vm_get_lowmem_size", "vm_get_highmem_size"));
        List<String> events = events(image.entry());
        for (String r : VmmapiStub.bhyveloadCalls(events)) {
            expected.add(r.substring(0, r.indexOf(' ')));
        }
        assertThat(names).isEqualTo(expected);
        assertThat(calls.get(0).arg("name")).isEqualTo("probe");
        assertThat(calls.get(2 + (vcpuHandle ? 1 : 0)).arg("flags")).isEqualTo("1");
        Call setup = calls.stream().filter(c -> c.name().equals("vm_setup_memory")).findFirst().orElseThrow();
        assertThat(setup.number("len")).isEqualTo(MEMSIZE);
        assertThat(setup.arg("style")).isEqualTo("1");

        List<Long> mapped = new ArrayList<>();
        for (Call c : calls) {
            if (c.name().equals("vm_map_gpa")) {
                assertThat(c.args()).containsEntry("ctx", "ok").containsEntry("len", "4096").doesNotContainKey("result");
                mapped.add(c.number("gpa"));
            }
        }
        assertThat(mapped).isEqualTo(image.pages().keySet().stream().map(p -> p * BootImage.PAGE_SIZE).toList());

        assertThat(VmmapiStub.registerCalls(calls)).isEqualTo(VmmapiStub.bhyveloadCalls(events));
        assertFinalState(calls, image.entry());
        assertMemory(image);
    }

    /** The loader's register callbacks for this entry state in the oracle's "op arg…" form. */
    static List<String> events(EntryState e) {
        List<String> out = new ArrayList<>();
        for (LoaderCall c : e.loaderCalls()) {
            if (c instanceof LoaderCall.SetReg r) {
                out.add("setreg " + r.reg() + " " + hex(r.value()));
            } else if (c instanceof LoaderCall.SetMsr m) {
                out.add("setmsr " + hex(m.msr() & 0xffffffffL) + " " + hex(m.value()));
            } else if (c instanceof LoaderCall.SetCr r) {
                out.add("setcr " + r.cr() + " " + hex(r.value()));
            } else if (c instanceof LoaderCall.SetGdt g) {
                out.add("setgdt " + hex(g.base()) + " " + g.size());
            } else if (c instanceof LoaderCall.Exec x) {
                out.add("exec " + hex(x.rip()));
            }
        }
        return out;
    }

    /** What the stub's vm_setup_freebsd_registers* left in the vCPU equals the BootImage's entry state. */
    static void assertFinalState(List<Call> calls, EntryState e) throws Exception {
        Map<String, String> regs = VmmapiStub.finalRegisters(calls);
        assertThat(regs).containsEntry("RIP", hex(e.rip())).containsEntry("RSP", hex(e.rsp()))
                .containsEntry("RFLAGS", hex(e.rflags())).containsEntry("CR0", hex(e.cr0()))
                .containsEntry("CR4", hex(e.cr4())).containsEntry("EFER", hex(e.efer()));
        if (e.mode() == EntryState.Mode.AMD64) {
            assertThat(regs).containsEntry("CR3", hex(e.cr3()));
        }
        Map<String, String> descs = VmmapiStub.finalDescriptors(calls);
        assertThat(descs).containsEntry("GDTR", hex(e.gdtrBase()) + " " + hex(e.gdtrLimit()) + " 0x0");
        Segment[] segs = {e.cs(), e.ds(), e.es(), e.fs(), e.gs(), e.ss(), e.tr(), e.ldtr()};
        String[] names = {"CS", "DS", "ES", "FS", "GS", "SS", "TR", "LDTR"};
        for (int i = 0; i < segs.length; i++) {
            assertThat(regs).as(names[i]).containsEntry(names[i], hex(segs[i].selector()));
            assertThat(descs).as(names[i]).containsEntry(names[i],
                    hex(segs[i].base()) + " " + hex(segs[i].limit()) + " " + hex(segs[i].access()));
        }
    }

    /** Guest memory (lowmem) holds the image's pages and nothing else: the offline backend's dump of them. */
    private static void assertMemory(BootImage image) throws Exception {
        Path reference = Trees.target().resolve("vmmapi-reference.bin");
        try (MemoryDump dump = new MemoryDump(reference)) {
            dump.load(image);
        }
        VmmapiStub.assertSameMemory(memory, reference, image.memory().lowmem());
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
