package userboot4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.io.PrintStream;
import userboot4j.BootException;
import userboot4j.BootImage;
import userboot4j.Sysexits;
import userboot4j.console.Console;
import userboot4j.loader.PreparedBoot;
import userboot4j.vmm.kvm.KvmVm;
import userboot4j.vmm.RunResult;
import userboot4j.vmm.kvm.dev.Devices;
import userboot4j.vmm.qemu.QemuVm;
import userboot4j.vmm.kvm.dev.ScriptedConsole;
import userboot4j.vmm.kvm.dev.Uart16550;

/**
 * {@code userboot4j run}: prepares the boot as bhyveload would and executes it under QEMU or the own Linux
 * KVM backend, COM1 on the console (or a file). The exit status is the guest's verdict (docs/RUN.md).
 */
final class RunCommand implements Command {
    /** The probe kernel's "all is well" on the exit port. */
    static final int VERDICT_OK = 0x600d;
    static final int EXIT_GUEST_FAILED = 1;
    static final int EXIT_HALTED = 2;
    static final int EXIT_AT_PROMPT = 3;
    static final int EXIT_POWER_OFF = 4;
    static final int EXIT_REBOOT = 5;
    static final int EX_TEMPFAIL = 75;

    /** The engines {@code --vmm} names. */
    enum Engine { AUTO, QEMU, KVM }

    private final BootOptions boot = new BootOptions();
    private long timeout = 60;
    private Path console;
    private Path script;
    private Engine engine = Engine.AUTO;
    private boolean snapshot;
    private final List<Path> guestDisks = new java.util.ArrayList<>();

    @Override
    public Spec options() {
        return boot.addTo(new Spec("run", "Boot the guest under QEMU or Linux KVM, its COM1 on the console."))
                .value("--vmm", "ENGINE", "qemu, kvm or auto (default: QEMU where installed, else KVM)",
                        v -> engine = engine(v))
                .file("--guest-disk", "IMAGE", "a disk for the guest alone, after the -d disks (the loader reads "
                        + "only -d disks, as bhyveload only its own) (QEMU)", guestDisks::add)
                .flag("--snapshot", "the guest's writes to its disks are discarded (QEMU)", () -> snapshot = true)
                .value("--timeout", "SECONDS", "wall-clock limit (default 60)", v -> timeout = seconds(v))
                .file("--console", "FILE", "write COM1's output to FILE", v -> console = v)
                .file("--script", "FILE", "answer the console from FILE ('expect: TEXT' and 'send: TEXT' lines); "
                        + "the run ends when its last step has run", v -> script = v);
    }

    private static long seconds(String v) throws BootException.Usage {
        try {
            long s = Long.parseLong(v);
            if (s > 0 && s <= Long.MAX_VALUE / 1000) {
                return s;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new BootException.Usage("invalid --timeout '" + v + "' (whole seconds, at least 1)");
    }

    private static Engine engine(String v) throws BootException.Usage {
        for (Engine e : Engine.values()) {
            if (e.name().equalsIgnoreCase(v)) {
                return e;
            }
        }
        throw new BootException.Usage("invalid --vmm '" + v + "' (qemu, kvm or auto)");
    }

    /**
     * The engine that runs the guest: the one asked for if it is here, or for {@code auto} QEMU where it is
     * installed, else the KVM backend where only /dev/kvm is. {@code kvmUnavailable} is why /dev/kvm cannot
     * be opened, null when it can.
     */
    static Engine choose(Engine asked, boolean qemu, String kvmUnavailable) throws BootException {
        if (asked == Engine.QEMU || asked == Engine.AUTO && qemu) {
            if (!qemu) {
                throw QemuVm.missing();
            }
            return Engine.QEMU;
        }
        if (kvmUnavailable == null) {
            return Engine.KVM;
        }
        throw new BootException(Sysexits.EX_UNAVAILABLE, asked == Engine.KVM
                ? "the KVM backend cannot run here: " + kvmUnavailable
                : "no engine can run the guest here: QEMU is not installed (no " + QemuVm.BINARY + " on PATH; Debian"
                        + " package qemu-system-x86) and the KVM backend cannot run: " + kvmUnavailable);
    }

    @Override
    public int call(PrintStream stdout, PrintStream stderr) throws BootException {
        Engine chosen = choose(engine, QemuVm.find() != null, KvmVm.unavailable());
        if (chosen == Engine.KVM && (snapshot || !guestDisks.isEmpty())) {
            throw new BootException.Usage("--guest-disk and --snapshot are for QEMU: the KVM backend gives the guest no disks");
        }
        PrintWriter err = new PrintWriter(stderr, true);
        ScriptedConsole scripted = script == null ? null : readScript();
        Console stdio = Console.open(Console.STDIO);
        // with a terminal, the loader's console is on it from the start: its lines, countdown and prompt
        try (Console raw = scripted == null && console == null && stdio.isTerminal() ? stdio : null) {
            if (raw != null) {
                raw.raw();
            }
            PreparedBoot prepared = boot.boot(err, raw != null ? LoaderConsoles.terminal(raw) : null);
            return execute(chosen, prepared, scripted, raw, err);
        }
    }

    /** How a run ended, and whether the guest then waited at a prompt (only the KVM backend can tell). */
    private record Ended(RunResult result, java.util.function.BooleanSupplier atPrompt) {
    }

    private int execute(Engine engine, PreparedBoot prepared, ScriptedConsole scripted, Console raw, PrintWriter err)
            throws BootException {
        try (OutputStream file = console != null ? Files.newOutputStream(console) : new NonClosing(System.out)) {
            OutputStream out = scripted != null ? scripted.output(file) : file;
            // without a terminal, what the loader printed comes first on the console, as with bhyveload
            for (String line : raw == null ? prepared.console() : List.<String>of()) {
                out.write((line + "\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            if (console != null) {
                prepared.errors().forEach(err::println); // the console goes to a file: its errors to the user too
            }
            InputStream in = scripted != null ? scripted.input() : raw != null ? System.in : null;
            java.util.function.BooleanSupplier finished = scripted != null ? scripted::finished : () -> false;
            Ended ended = engine == Engine.QEMU ? runQemu(prepared.image(), out, in, finished)
                    : runKvm(prepared.image(), out, in, finished);
            out.flush();
            if (raw != null) {
                raw.close();
            }
            return verdict(ended.result(), ended.atPrompt(), err);
        } catch (IOException e) {
            throw new BootException.Io("console: " + e.getMessage(), e);
        }
    }

    private Ended runKvm(BootImage image, OutputStream out, InputStream in, java.util.function.BooleanSupplier finished)
            throws BootException {
        try (KvmVm vm = KvmVm.create(image.memory())) {
            vm.load(image);
            Uart16550 com1 = new Uart16550(Uart16550.COM1, out, in);
            return new Ended(vm.run(Devices.standard(com1), timeout * 1000, finished), com1::waitingForInput);
        }
    }

    private Ended runQemu(BootImage image, OutputStream out, InputStream in, java.util.function.BooleanSupplier finished)
            throws BootException {
        List<Path> disks = new java.util.ArrayList<>(boot.disks());
        disks.addAll(guestDisks);
        try (QemuVm vm = QemuVm.create()) {
            vm.load(image);
            return new Ended(vm.run(disks, snapshot, QemuVm.accel(), out, in, timeout * 1000, finished), () -> false);
        }
    }

    private ScriptedConsole readScript() throws BootException {
        try {
            return ScriptedConsole.parse(Files.readString(script, java.nio.charset.StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new BootException.NotFound(script + ": cannot read the console script: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new BootException.Usage(script + ": " + e.getMessage());
        }
    }

    static int verdict(RunResult r, java.util.function.BooleanSupplier atPrompt, PrintWriter err) {
        switch (r.outcome()) {
            case SCRIPT_DONE:
                return 0;
            case EXIT_PORT:
                if (r.exitValueIs(VERDICT_OK)) {
                    return 0;
                }
                err.println("userboot4j: " + r.reason());
                return EXIT_GUEST_FAILED;
            case POWER_OFF:
                err.println("userboot4j: " + r.reason());
                return EXIT_POWER_OFF;
            case REBOOT:
                err.println("userboot4j: " + r.reason() + "; run does not restart it");
                return EXIT_REBOOT;
            case ENGINE_ERROR:
                err.println("userboot4j: " + r.reason());
                return Sysexits.EX_OSERR;
            case HALTED:
                err.println("userboot4j: " + r.reason());
                err.print(r.registers());
                err.flush();
                return EXIT_HALTED;
            case TIMEOUT:
                if (atPrompt.getAsBoolean()) {
                    err.println("userboot4j: the time limit passed with the guest waiting at a prompt for console input");
                    return EXIT_AT_PROMPT;
                }
                err.println("userboot4j: " + r.reason());
                err.print(r.registers());
                err.flush();
                return EX_TEMPFAIL;
            default:
                err.println("userboot4j: " + r.reason());
                err.print(r.registers());
                err.flush();
                return Sysexits.EX_SOFTWARE;
        }
    }

    /** System.out for the console, left open when the run ends. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
