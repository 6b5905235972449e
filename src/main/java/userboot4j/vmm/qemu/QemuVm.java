package userboot4j.vmm.qemu;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import userboot4j.BootException;
import userboot4j.BootImage;
import userboot4j.Sysexits;
import userboot4j.memory.MemoryLayout;
import userboot4j.vmm.RunResult;
import userboot4j.vmm.Vmm;
import userboot4j.vmm.acpi.Fadt;

/**
 * A guest run by QEMU ({@code qemu-system-x86_64 -machine pc}): RAM laid out as the loader's SMAP says,
 * the BootImage's pages put in with {@code -device loader}, the vCPU brought to the entry state by the
 * {@link Firmware} stub, each disk a virtio-blk device in order, COM1 on QEMU's standard streams. How the
 * run ended comes from QEMU's exit status: the exit port, power-off and reset registers are
 * {@code isa-debug-exit} devices, each ending QEMU with its own status. {@link #load} writes the firmware
 * and memory files, {@link #run} starts QEMU with them.
 */
public final class QemuVm implements Vmm {
    public static final String BINARY = "qemu-system-x86_64";
    /** The probe kernel's exit port, and the FADT's sleep-control and reset registers. */
    static final int EXIT_PORT = 0x501;
    static final long RFLAGS_IF = 0x200;
    /** How often the vCPU is looked at for a halt with interrupts off. */
    static final long HALT_CHECK_MILLIS = 500;

    /** How QEMU accelerates the guest. */
    public enum Accel { TCG, KVM }

    private final Path binary;
    private final Path work;
    /** What {@link #load} wrote: guest memory's layout, the firmware, a {@code -device loader} per run. */
    private MemoryLayout memory;
    private Path firmware;
    private final List<String> loaders = new ArrayList<>();
    private Process process;
    private final Thread reaper = new Thread(this::end, "qemu-reaper");

    private QemuVm(Path binary, Path work) {
        this.binary = binary;
        this.work = work;
    }

    /** The QEMU binary on the PATH, or null. */
    public static Path find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, BINARY);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /**
     * KVM where QEMU can use it (/dev/kvm opens and the CPU has VMX or SVM: PVM's /dev/kvm has neither,
     * and QEMU stops there on the first exit PVM cannot emulate), else QEMU's own emulator.
     */
    public static Accel accel() {
        if (!userboot4j.vmm.kvm.KvmVm.available()) {
            return Accel.TCG;
        }
        try {
            String flags = Files.readString(Path.of("/proc/cpuinfo"));
            return flags.matches("(?s).*\\b(vmx|svm)\\b.*") ? Accel.KVM : Accel.TCG;
        } catch (IOException e) {
            return Accel.TCG;
        }
    }

    /** The refusal when QEMU is not installed. */
    public static BootException missing() {
        return new BootException(Sysexits.EX_UNAVAILABLE,
                BINARY + " not found: install QEMU (Debian: apt-get install qemu-system-x86)");
    }

    public static QemuVm create() throws BootException {
        Path binary = find();
        if (binary == null) {
            throw missing();
        }
        try {
            return new QemuVm(binary, Files.createTempDirectory("userboot4j-qemu"));
        } catch (IOException e) {
            throw new BootException.Io("QEMU: cannot make a working directory: " + e.getMessage(), e);
        }
    }

    /** Writes the firmware (with the image's entry state) and each run of the image's pages to files. */
    @Override
    public void load(BootImage image) throws BootException {
        memory = image.memory();
        byte[] bios = Firmware.build(image.entry());
        firmware = write("firmware.bin", ch -> ch.write(ByteBuffer.wrap(bios)));
        int n = 0;
        for (BootImage.Run run : image.runs()) {
            Path f = write("mem" + n++ + ".bin", ch -> run.writeTo(ch, 0));
            loaders.addAll(List.of("-device", "loader,file=" + f + ",addr=0x" + Long.toHexString(run.gpa())
                    + ",force-raw=on"));
        }
    }

    /**
     * Runs the loaded image to its end: {@code console} gets COM1's output, {@code input} (polled, may be
     * null) is typed into COM1; the run ends when QEMU does, when {@code finished} says so, or after
     * {@code timeoutMillis}.
     */
    public RunResult run(List<Path> disks, boolean snapshot, Accel accel, OutputStream console, InputStream input,
            long timeoutMillis, BooleanSupplier finished) throws BootException {
        if (memory == null) {
            throw new IllegalStateException("QemuVm.run before load");
        }
        List<String> cmd = command(disks, snapshot, accel);
        Path log = work.resolve("qemu.log");
        try {
            process = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
            // ended with us (SIGTERM, SIGINT): QEMU must not run on without its console
            Runtime.getRuntime().addShutdownHook(reaper);
        } catch (IOException e) {
            throw new BootException(Sysexits.EX_UNAVAILABLE, BINARY + " cannot be started: " + e.getMessage());
        }
        Thread out = pump(process.getInputStream(), console);
        Thread in = input == null ? null : feed(input, process.getOutputStream());
        try (Qmp qmp = Qmp.connect(work.resolve("qmp.sock"), process)) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            long nextLook = System.nanoTime();
            while (!process.waitFor(50, TimeUnit.MILLISECONDS)) {
                if (finished.getAsBoolean()) {
                    stop(out, in);
                    return new RunResult(RunResult.Outcome.SCRIPT_DONE, 0, "the console script ran to its end", "");
                }
                if (System.nanoTime() - deadline > 0) {
                    String registers = registers(qmp);
                    stop(out, in);
                    return new RunResult(RunResult.Outcome.TIMEOUT, 0, String.format(
                            "the time limit (%d s) passed", timeoutMillis / 1000), registers);
                }
                if (System.nanoTime() - nextLook > 0) {
                    nextLook = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HALT_CHECK_MILLIS);
                    String registers = registers(qmp);
                    if (haltedWithInterruptsOff(registers)) {
                        stop(out, in);
                        return new RunResult(RunResult.Outcome.HALTED, 0,
                                "the guest halted with interrupts disabled: nothing can wake it", registers);
                    }
                }
            }
            out.join(2000);
            if (in != null) {
                in.interrupt();
            }
            console.flush();
            if (finished.getAsBoolean()) {
                return new RunResult(RunResult.Outcome.SCRIPT_DONE, 0, "the console script ran to its end", "");
            }
            return QemuExit.outcome(process.exitValue(), Files.readString(log, StandardCharsets.ISO_8859_1)
                    + readIfThere(work.resolve("cpu.log")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BootException(Sysexits.EX_SOFTWARE, "QEMU: interrupted while the guest ran");
        } catch (IOException e) {
            return QemuExit.outcome(exitStatus(), readIfThere(log) + readIfThere(work.resolve("cpu.log")));
        }
    }

    /** QEMU's status once it has gone (it failed before its monitor answered), killed if it has not. */
    private int exitStatus() {
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.exitValue();
    }

    private static String readIfThere(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** QEMU's register dump, or nothing when the monitor no longer answers (QEMU is ending). */
    private static String registers(Qmp qmp) {
        try {
            return qmp.human("info registers").replace("\r\n", "\n").strip() + "\n";
        } catch (IOException e) {
            return "";
        }
    }

    /** HLT=1 with RFLAGS.IF clear, in QEMU's register dump. */
    static boolean haltedWithInterruptsOff(String registers) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:EFL|RFL)=([0-9a-f]+) .* HLT=1").matcher(registers);
        return m.find() && (Long.parseLong(m.group(1), 16) & RFLAGS_IF) == 0;
    }

    private void stop(Thread out, Thread in) throws InterruptedException {
        process.destroyForcibly().waitFor();
        out.join(2000);
        if (in != null) {
            in.interrupt();
        }
    }

    private List<String> command(List<Path> disks, boolean snapshot, Accel accel) {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(),
                "-machine", "pc,accel=" + accel.name().toLowerCase() + ",max-ram-below-4g="
                        + MemoryLayout.LOWMEM_LIMIT,
                "-m", memory.total() / 1024 + "K",
                "-smp", "1",
                "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                "-bios", firmware.toString(),
                "-chardev", "stdio,id=com1,signal=off", "-serial", "chardev:com1",
                "-device", "isa-debug-exit,iobase=0x" + Integer.toHexString(EXIT_PORT) + ",iosize=4",
                "-device", "isa-debug-exit,iobase=0x" + Integer.toHexString(Fadt.SLEEP_CONTROL_PORT) + ",iosize=1",
                "-device", "isa-debug-exit,iobase=0x" + Integer.toHexString(Fadt.RESET_PORT) + ",iosize=1",
                "-qmp", "unix:" + work.resolve("qmp.sock") + ",server=on,wait=off",
                "-d", "cpu_reset", "-D", work.resolve("cpu.log").toString()));
        if (accel == Accel.TCG) {
            cmd.addAll(List.of("-cpu", "max"));
        } else {
            cmd.addAll(List.of("-cpu", "host"));
        }
        cmd.addAll(loaders);
        for (int i = 0; i < disks.size(); i++) {
            cmd.addAll(List.of("-drive", "file=" + disks.get(i).toAbsolutePath().toString().replace(",", ",,")
                    + ",format=raw,if=none,id=disk" + i + (snapshot ? ",snapshot=on" : ""),
                    "-device", "virtio-blk-pci,drive=disk" + i));
        }
        return cmd;
    }

    /** What goes into one of the files QEMU is given. */
    private interface Contents {
        void writeTo(FileChannel ch) throws IOException;
    }

    private Path write(String name, Contents contents) throws BootException {
        Path f = work.resolve(name);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            contents.writeTo(ch);
            return f;
        } catch (IOException e) {
            throw new BootException.Io(f + ": " + e.getMessage(), e);
        }
    }

    private static Thread pump(InputStream from, OutputStream to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = from.read(buf)) > 0; ) {
                    to.write(buf, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // QEMU has gone; the exit status says why
            }
        }, "qemu-com1-out");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Polls {@code from} (a terminal or a console script) and types what it has into COM1. */
    private static Thread feed(InputStream from, OutputStream to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[256];
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    int n = from.available() > 0 ? from.read(buf, 0, Math.min(buf.length, from.available())) : 0;
                    if (n > 0) {
                        to.write(buf, 0, n);
                        to.flush();
                    } else {
                        Thread.sleep(10);
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the run is over
            }
        }, "qemu-com1-in");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // the JVM is shutting down (the hook does the same), or QEMU never started
        }
        end();
    }

    /** QEMU stopped and the working files removed: at close, or when the JVM is ended (SIGTERM, SIGINT). */
    private void end() {
        if (process != null) {
            process.destroyForcibly();
        }
        try (Stream<Path> s = Files.walk(work)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }
}
