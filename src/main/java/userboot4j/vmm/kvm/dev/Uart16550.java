package userboot4j.vmm.kvm.dev;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A 16550 UART as the guest's COM1 sees it, without interrupts: what the guest transmits goes to an output
 * stream, the line status always shows an empty transmitter, and received bytes come from an input queue
 * fed by the host (stdin when interactive, a script in tests) when the guest polls.
 */
public final class Uart16550 implements IoPort {
    public static final int COM1 = 0x3f8;
    static final int RBR_THR = 0;
    static final int IER = 1;
    static final int IIR_FCR = 2;
    static final int LCR = 3;
    static final int MCR = 4;
    static final int LSR = 5;
    static final int MSR = 6;
    static final int SCR = 7;
    static final int LCR_DLAB = 0x80;
    static final int LSR_DR = 0x01;
    static final int LSR_THRE = 0x20;
    static final int LSR_TEMT = 0x40;
    static final int IIR_NO_INTERRUPT = 0x01;
    static final int MSR_DCD_DSR_CTS = 0xb0;

    private final int base;
    private final OutputStream out;
    private final InputStream in;
    private int ier;
    private int lcr;
    private int mcr;
    private int scr;
    private int dll = 1;
    private int dlm;
    /** Reads of the line status that found no input since the guest last transmitted. */
    private long idlePolls;

    /** {@code in} may be null (no input); reads use {@link InputStream#available()} and never block. */
    public Uart16550(int base, OutputStream out, InputStream in) {
        this.base = base;
        this.out = out;
        this.in = in;
    }

    private boolean dataReady() {
        try {
            return in != null && in.available() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when the guest keeps polling for input it does not get: it is waiting at a prompt. */
    public boolean waitingForInput() {
        return idlePolls > WAITING_POLLS;
    }

    static final long WAITING_POLLS = 1000;

    @Override
    public int in(int port, int size) {
        boolean dlab = (lcr & LCR_DLAB) != 0;
        switch (port - base) {
            case RBR_THR:
                if (dlab) {
                    return dll;
                }
                try {
                    return dataReady() ? in.read() & 0xff : 0;
                } catch (IOException e) {
                    return 0;
                }
            case IER:
                return dlab ? dlm : ier;
            case IIR_FCR:
                return IIR_NO_INTERRUPT;
            case LCR:
                return lcr;
            case MCR:
                return mcr;
            case LSR:
                boolean ready = dataReady();
                idlePolls = ready ? 0 : idlePolls + 1;
                return LSR_THRE | LSR_TEMT | (ready ? LSR_DR : 0);
            case MSR:
                return MSR_DCD_DSR_CTS;
            default:
                return scr;
        }
    }

    @Override
    public void out(int port, int size, int value) {
        int v = value & 0xff;
        boolean dlab = (lcr & LCR_DLAB) != 0;
        switch (port - base) {
            case RBR_THR -> {
                if (dlab) {
                    dll = v;
                } else {
                    idlePolls = 0;
                    try {
                        out.write(v);
                        if (v == '\n') {
                            out.flush();
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            case IER -> {
                if (dlab) {
                    dlm = v;
                } else {
                    ier = v & 0x0f;
                }
            }
            case LCR -> lcr = v;
            case MCR -> mcr = v & 0x1f;
            case SCR -> scr = v;
            default -> { }
        }
    }
}
