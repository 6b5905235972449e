package userboot4j.vmm.kvm;

import userboot4j.vmm.RunResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import userboot4j.BootImage;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Require;
import userboot4j.testsupport.Trees;
import userboot4j.vmm.kvm.InstructionEmulator.Decoded;
import userboot4j.vmm.kvm.InstructionEmulator.Op;
import userboot4j.vmm.kvm.dev.IoBus;

/**
 * The fallback emulator: its decoder against GNU as's encodings, and each instruction executed by a few
 * bytes of guest code under KVM that then report the resulting state on the exit port. Instructions after
 * {@code FORCE} are carried out by the fallback whatever the host's KVM would do; those after {@code TRAP}
 * follow a trapped instruction, where PVM's own emulator gives up, and fall back only if it does — each
 * test prints which instructions the fallback carried out, or that KVM ran them itself.
 */
class InstructionEmulatorTest {
    @TempDir
    Path dir;

    private byte[] assemble(String source) throws Exception {
        Require.tool("as");
        Require.tool("objcopy");
        Path s = dir.resolve("code.s");
        Files.writeString(s, "\t.code64\n\t.text\n" + source + "\n");
        Processes.run(List.of("as", "--64", "-o", dir.resolve("code.o").toString(), s.toString()), null);
        Processes.run(List.of("objcopy", "-O", "binary", "-j", ".text", dir.resolve("code.o").toString(),
                dir.resolve("code.bin").toString()), null);
        return Files.readAllBytes(dir.resolve("code.bin"));
    }

    private Decoded decode(String instruction) throws Exception {
        byte[] code = assemble(instruction);
        Decoded d = InstructionEmulator.decode(code);
        assertThat(d.length()).as(instruction).isEqualTo(code.length);
        return d;
    }

    @Test
    void decodesTheHandledInstructionsAsGnuAsEncodesThem() throws Exception {
        assertThat(decode("fldcw -0xa(%rbp)")).isEqualTo(new Decoded(3, Op.FLDCW, 5, -1, 0, -10, false, 0, false, 0));
        assertThat(decode("fnstcw 0x8(%rsp)")).isEqualTo(new Decoded(4, Op.FNSTCW, 4, -1, 0, 8, false, 0, false, 0));
        assertThat(decode("flds 0x10(%rip)")).isEqualTo(new Decoded(6, Op.FLD_M32, -1, -1, 0, 0x10, true, 0, false, 0));
        assertThat(decode("ffree %st(3)")).isEqualTo(new Decoded(2, Op.FFREE, -1, -1, 0, 0, false, 0, false, 3));
        assertThat(decode("fnclex").op()).isEqualTo(Op.FNCLEX);
        assertThat(decode("fninit").op()).isEqualTo(Op.FNINIT);
        assertThat(decode("fwait").op()).isEqualTo(Op.FWAIT);
        assertThat(decode("ldmxcsr (%rdi)")).isEqualTo(new Decoded(3, Op.LDMXCSR, 7, -1, 0, 0, false, 0, false, 0));
        assertThat(decode("stmxcsr 0x20(%r12)")).isEqualTo(new Decoded(6, Op.STMXCSR, 12, -1, 0, 0x20, false, 0, false, 0));
        assertThat(decode("fxsave (%r8)")).isEqualTo(new Decoded(4, Op.FXSAVE, 8, -1, 0, 0, false, 0, false, 0));
        assertThat(decode("fxrstor64 0x40(%rax,%rbx,2)"))
                .isEqualTo(new Decoded(6, Op.FXRSTOR, 0, 3, 1, 0x40, false, 0, false, 0));
        assertThat(decode("xsave 0x1000(%rdi)")).isEqualTo(new Decoded(7, Op.XSAVE, 7, -1, 0, 0x1000, false, 0, false, 0));
        assertThat(decode("xsave64 (%rcx)").op()).isEqualTo(Op.XSAVE);
        assertThat(decode("xsaveopt64 %gs:0x80"))
                .isEqualTo(new Decoded(10, Op.XSAVEOPT, -1, -1, 0, 0x80, false, Decoded.GS, false, 0));
        assertThat(decode("xrstor64 -0x40(%rbp)")).isEqualTo(new Decoded(5, Op.XRSTOR, 5, -1, 0, -0x40, false, 0, false, 0));
        assertThat(decode("lock cmpxchg16b (%r9)")).isEqualTo(new Decoded(5, Op.CMPXCHG16B, 9, -1, 0, 0, false, 0, false, 0));
        assertThat(decode("lock cmpxchg8b 0x8(%r10,%r11,8)"))
                .isEqualTo(new Decoded(7, Op.CMPXCHG8B, 10, 11, 3, 8, false, 0, false, 0));
        assertThat(decode("fnstcw 0x300002")).isEqualTo(new Decoded(7, Op.FNSTCW, -1, -1, 0, 0x300002, false, 0, false, 0));
        assertThat(decode("ldmxcsr (%ebx)")).isEqualTo(new Decoded(4, Op.LDMXCSR, 3, -1, 0, 0, false, 0, true, 0));
    }

    @Test
    void effectiveAddresses() {
        long[] gpr = new long[16];
        gpr[5] = 0x1000;
        gpr[3] = 0x10;
        assertThat(new Decoded(3, Op.FLDCW, 5, -1, 0, -10, false, 0, false, 0).address(gpr, 0, 0, 0)).isEqualTo(0xff6);
        assertThat(new Decoded(6, Op.FXRSTOR, 5, 3, 2, 8, false, 0, false, 0).address(gpr, 0, 0, 0)).isEqualTo(0x1048);
        assertThat(new Decoded(6, Op.FLD_M32, -1, -1, 0, 0x10, true, 0, false, 0).address(gpr, 0x400000, 0, 0))
                .isEqualTo(0x400016);
        assertThat(new Decoded(10, Op.XSAVEOPT, -1, -1, 0, 0x80, false, Decoded.GS, false, 0)
                .address(gpr, 0, 0x7000, 0xffff800000001000L)).isEqualTo(0xffff800000001080L);
        gpr[3] = 0xffffffff00000010L;
        assertThat(new Decoded(4, Op.LDMXCSR, 3, -1, 0, 0, false, 0, true, 0).address(gpr, 0, 0, 0)).isEqualTo(0x10);
    }

    @Test
    void refusesWhatItDoesNotHandle() throws Exception {
        assertThatThrownBy(() -> InstructionEmulator.decode(assemble("movl $1, %eax")))
                .isInstanceOf(InstructionEmulator.Unsupported.class);
        assertThatThrownBy(() -> InstructionEmulator.decode(assemble("vmovdqa %ymm0, (%rdi)")))
                .isInstanceOf(InstructionEmulator.Unsupported.class);
        assertThatThrownBy(() -> InstructionEmulator.decode(new byte[] {0x0f, (byte) 0xae}))
                .isInstanceOf(InstructionEmulator.Unsupported.class).hasMessageContaining("runs past");
    }

    @Test
    void singleToExtendedPrecision() {
        assertThat(InstructionEmulator.extended(0x3f800000)).containsExactly(0, 0, 0, 0, 0, 0, 0, 0x80, 0xff, 0x3f);
        assertThat(InstructionEmulator.extended(0xc0400000)).containsExactly(0, 0, 0, 0, 0, 0, 0, 0xc0, 0x00, 0xc0);
        assertThat(InstructionEmulator.extended(0)).containsOnly(0);
        // The smallest denormal, 2^-149, normalised.
        byte[] tiny = InstructionEmulator.extended(1);
        assertThat(tiny[7] & 0xff).isEqualTo(0x80);
        assertThat((tiny[8] & 0xff | (tiny[9] & 0x7f) << 8)).isEqualTo(16383 - 149);
    }

    // ---- under KVM ----

    /**
     * Port that marks the next instruction for the fallback emulator whatever KVM would do with it: the
     * run stops at the write, and the test has the emulator carry out the following instruction.
     */
    private static final int FORCE_PORT = 0xee;
    private static final String FORCE = "\tout %al, $0xee\n";

    /** Runs {@code body} (then reports %eax on the exit port) at the probe kernel's entry; returns %eax. */
    private long runGuest(String body) throws Exception {
        Require.kvm();
        byte[] code = assemble(body + "\n\tmov $0x501, %dx\n\tout %eax, %dx\n1:\thlt\n\tjmp 1b");
        BootImage image;
        try (var fs = userboot4j.fs.host.HostFileSystem.open(Trees.probe())) {
            image = userboot4j.loader.Userboot.boot(fs, new userboot4j.loader.Userboot.Options(64L << 20, List.of()))
                    .image();
        }
        long pa = image.entry().rip() & 0x7fffffffL;
        TreeMap<Long, byte[]> pages = new TreeMap<>(image.pages());
        for (int i = 0; i < code.length; i++) {
            long page = (pa + i) / BootImage.PAGE_SIZE;
            byte[] p = pages.computeIfAbsent(page, k -> new byte[BootImage.PAGE_SIZE]).clone();
            p[(int) ((pa + i) % BootImage.PAGE_SIZE)] = code[i];
            pages.put(page, p);
        }
        BootImage patched = new BootImage(image.memory(), pages, image.entry());
        try (KvmVm vm = KvmVm.create(patched.memory())) {
            vm.load(patched);
            boolean[] forced = new boolean[1];
            IoBus bus = new IoBus();
            bus.register(FORCE_PORT, 1, new userboot4j.vmm.kvm.dev.IoPort() {
                @Override
                public int in(int port, int size) {
                    return 0;
                }

                @Override
                public void out(int port, int size, int value) {
                    forced[0] = true;
                }
            });
            RunResult r;
            while ((r = vm.run(bus, 20_000, () -> forced[0])).outcome() == RunResult.Outcome.SCRIPT_DONE) {
                forced[0] = false;
                vm.emulateNext();
            }
            assertThat(r.outcome()).as(r.reason() + "\n" + r.registers()).isEqualTo(RunResult.Outcome.EXIT_PORT);
            System.out.println(!vm.emulated().isEmpty() ? "fallback emulator carried out " + vm.emulated()
                    : "KVM ran these instructions itself; the fallback emulator was not used");
            return r.exitValue();
        }
    }

    /** A trapped instruction first: PVM emulates what follows one in software, where the gap shows. */
    private static final String TRAP = "\tout %al, $0x80\n";

    @Test
    void fldcwAndFnstcw() throws Exception {
        assertThat(runGuest("\tmovw $0x27f, 0x300000\n" + FORCE + "\tfldcw 0x300000\n" + TRAP
                + FORCE + "\tfnstcw 0x300002\n\tmovzwl 0x300002, %eax")).isEqualTo(0x27f);
    }

    @Test
    void ldmxcsrAndStmxcsr() throws Exception {
        assertThat(runGuest("\tmovl $0x1fa0, 0x300000\n" + FORCE + "\tldmxcsr 0x300000\n" + FORCE
                + "\tstmxcsr 0x300004\n\tmovl 0x300004, %eax")).isEqualTo(0x1fa0);
    }

    @Test
    void fninitFldsAndFxsave() throws Exception {
        // 1.0f pushed: the new ST0 has exponent 0x3fff and physical register 7 (TOP was 0) becomes valid.
        assertThat(runGuest("\tmovl $0x3f800000, 0x300000\n" + FORCE + "\tfninit\n" + FORCE + "\tflds 0x300000\n"
                + FORCE + "\tfxsave 0x300200\n\tmovzwl 0x300228, %eax\n\tmovzbl 0x300204, %ecx\n\tshl $16, %ecx\n"
                + "\tor %ecx, %eax")).isEqualTo(0x803fff);
    }

    @Test
    void ffreeEmptiesTheRegister() throws Exception {
        assertThat(runGuest("\tmovl $0x3f800000, 0x300000\n" + FORCE + "\tfninit\n" + FORCE + "\tflds 0x300000\n"
                + FORCE + "\tffree %st(0)\n" + FORCE + "\tfxsave 0x300200\n\tmovzbl 0x300204, %eax\n\tor $0x600d00, %eax"))
                .isEqualTo(0x600d00);
    }

    @Test
    void fnclexAndFxrstor() throws Exception {
        assertThat(runGuest(FORCE + "\tfxsave 0x300200\n\tmovw $0x00bf, 0x300202\n" + FORCE + "\tfxrstor 0x300200\n"
                + FORCE + "\tfnclex\n" + FORCE + "\tfwait\n" + FORCE + "\tfxsave 0x300400\n"
                + "\tmovzwl 0x300402, %eax\n\tor $0x600d0000, %eax")).isEqualTo(0x600d0000);
    }

    @Test
    void fninitResetsTheControlWord() throws Exception {
        assertThat(runGuest("\tmovw $0x0, 0x300000\n" + FORCE + "\tfldcw 0x300000\n" + FORCE + "\tfninit\n"
                + FORCE + "\tfnstcw 0x300002\n\tmovzwl 0x300002, %eax")).isEqualTo(0x37f);
    }

    /** XSAVE needs CR4.OSXSAVE and an XCR0 naming the components: x87 and SSE here. */
    private static final String XMM0_VIA_FXRSTOR = "\tmov %cr4, %rax\n\tor $0x40200, %rax\n\tmov %rax, %cr4\n"
            + "\txor %ecx, %ecx\n\txor %edx, %edx\n\tmov $3, %eax\n\txsetbv\n"
            + TRAP + "\tfxsave 0x300200\n\tmovq $0x1122334455667788, %rax\n"
            + "\tmovq %rax, 0x3002a0\n" + TRAP + "\tfxrstor 0x300200\n"
            + "\tmovq $0, 0x300a00\n\tmovq $0, 0x300a08\n\txor %edx, %edx\n\tmov $3, %eax\n";

    @Test
    void xsaveStoresXmmAndMarksItInUse() throws Exception {
        assertThat(runGuest(XMM0_VIA_FXRSTOR + FORCE + "\txsave 0x300800\n\tmovl 0x3008a0, %eax\n"
                + "\tmovl 0x300a00, %ecx\n\tand $2, %ecx\n\tshl $27, %ecx\n\txor %ecx, %eax"))
                .isEqualTo(0x55667788L ^ 0x10000000L);
    }

    @Test
    void xsaveoptStoresXmm() throws Exception {
        assertThat(runGuest(XMM0_VIA_FXRSTOR + FORCE + "\txsaveopt64 0x300800\n\tmovl 0x3008a4, %eax"))
                .isEqualTo(0x11223344L);
    }

    @Test
    void xrstorOfAnInitComponentClearsIt() throws Exception {
        assertThat(runGuest(XMM0_VIA_FXRSTOR + FORCE + "\txsave 0x300800\n\tmovq $0, 0x300a00\n\tmov $2, %eax\n"
                + FORCE + "\txrstor 0x300800\n" + FORCE + "\tfxsave 0x300c00\n\tmovl 0x300ca0, %eax\n"
                + "\tor $0x600d0000, %eax")).isEqualTo(0x600d0000);
    }

    private static final String STORE16 = "\tmovq $0xaaaa, 0x300000\n\tmovq $0xbbbb, 0x300008\n"
            + "\tmov $0x1234, %ebx\n\tmov $0x5678, %ecx\n";
    private static final String REPORT = "\tsetz %sil\n\tmovzbl %sil, %esi\n\tshl $16, %esi\n"
            + "\tmovzwl 0x300000, %eax\n\tor %esi, %eax\n";

    @Test
    void cmpxchg16bBothWays() throws Exception {
        assertThat(runGuest(STORE16 + "\tmov $0xaaaa, %eax\n\tmov $0xbbbb, %edx\n" + TRAP
                + "\tlock cmpxchg16b 0x300000\n" + REPORT)).isEqualTo(0x11234);
        assertThat(runGuest(STORE16 + "\tmov $0x1, %eax\n\tmov $0x2, %edx\n" + TRAP
                + "\tlock cmpxchg16b 0x300000\n" + REPORT + "\txor %eax, %eax\n\tmovw $0x0, %ax\n"
                + "\tmov $0x1, %ecx\n\tsub $0xaaaa, %rcx\n\tmov $0, %eax\n\tsetz %al\n\tmov %rsi, %rax"))
                .isZero();
    }

    @Test
    void cmpxchg8bLoadsOnMismatch() throws Exception {
        assertThat(runGuest(STORE16 + "\tmov $0x1, %eax\n\tmov $0x2, %edx\n" + FORCE + "\tlock cmpxchg8b 0x300000\n"
                + "\tsetz %cl\n\tmovzbl %cl, %ecx\n\tshl $20, %ecx\n\tor %ecx, %eax")).isEqualTo(0xaaaa);
        assertThat(runGuest(STORE16 + "\tmov $0xaaaa, %eax\n\tmov $0x0, %edx\n" + FORCE + "\tlock cmpxchg8b 0x300000\n"
                + REPORT)).isEqualTo(0x11234);
    }
}
