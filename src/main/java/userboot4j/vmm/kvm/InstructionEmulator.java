package userboot4j.vmm.kvm;

import com.sun.jna.Memory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Carries out, in place of the CPU, the few instructions the PVM flavour of KVM on these hosts cannot
 * emulate after a trapped instruction (kvm-notes.md): x87 control (FLDCW, FNSTCW, FLD m32, FFREE, FNCLEX,
 * FNINIT, FWAIT), MXCSR (LDMXCSR, STMXCSR), state saving (FXSAVE, FXRSTOR, XSAVE, XSAVEOPT, XRSTOR, each
 * also with REX.W) and LOCK CMPXCHG8B/16B. Only 64-bit mode code is handled. The instruction is fetched
 * through the guest's page tables, decoded, executed on the vCPU's registers, its XSAVE image and guest
 * memory, and RIP advanced. Anything else is refused with the bytes at RIP.
 */
public final class InstructionEmulator {
    /** What an instruction does; {@code EXTENDED} ones take their operands from memory. */
    public enum Op { FLDCW, FNSTCW, FLD_M32, FFREE, FNCLEX, FNINIT, FWAIT, LDMXCSR, STMXCSR, FXSAVE, FXRSTOR, XSAVE,
        XSAVEOPT, XRSTOR, CMPXCHG8B, CMPXCHG16B }

    /**
     * A decoded instruction: its length, operation and memory operand (base and index registers by their
     * encoding number, -1 for none; scale; displacement; RIP-relative; FS/GS segment; 32-bit addressing).
     * {@code stIndex} is FFREE's register.
     */
    record Decoded(int length, Op op, int base, int index, int scale, long disp, boolean ripRelative,
            int segment, boolean addr32, int stIndex) {
        static final int NO_SEGMENT = 0;
        static final int FS = 4;
        static final int GS = 5;

        long address(long[] gpr, long rip, long fsBase, long gsBase) {
            long a = disp;
            if (ripRelative) {
                a += rip + length;
            }
            if (base >= 0) {
                a += gpr[base];
            }
            if (index >= 0) {
                a += gpr[index] << scale;
            }
            if (addr32) {
                a &= 0xffffffffL;
            }
            return a + (segment == FS ? fsBase : segment == GS ? gsBase : 0);
        }
    }

    /** Thrown for bytes this class does not handle; the message names them. */
    static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported(String message) {
            super(message);
        }
    }

    static final int MAX_LENGTH = 15;

    /** Decodes 64-bit mode code at the start of {@code code}. */
    static Decoded decode(byte[] code) throws Unsupported {
        int p = 0;
        int segment = Decoded.NO_SEGMENT;
        boolean addr32 = false;
        boolean lock = false;
        boolean rep = false;
        boolean opsize = false;
        int rex = 0;
        while (p < code.length) {
            int b = code[p] & 0xff;
            if (b == 0xf0) {
                lock = true;
            } else if (b == 0xf2 || b == 0xf3) {
                rep = true;
            } else if (b == 0x66) {
                opsize = true;
            } else if (b == 0x67) {
                addr32 = true;
            } else if (b == 0x64) {
                segment = Decoded.FS;
            } else if (b == 0x65) {
                segment = Decoded.GS;
            } else if (b != 0x2e && b != 0x36 && b != 0x3e && b != 0x26) {
                break;
            }
            p++;
        }
        if (p < code.length && (code[p] & 0xf0) == 0x40) {
            rex = code[p++] & 0xff;
        }
        int op = byteAt(code, p++);
        if (op == 0x9b) {
            return new Decoded(p, Op.FWAIT, -1, -1, 0, 0, false, segment, false, 0);
        }
        if (op == 0xdb || op == 0xdd || op == 0xd9) {
            int modrm = byteAt(code, p);
            if (op == 0xdb && modrm == 0xe2) {
                return new Decoded(p + 1, Op.FNCLEX, -1, -1, 0, 0, false, segment, false, 0);
            }
            if (op == 0xdb && modrm == 0xe3) {
                return new Decoded(p + 1, Op.FNINIT, -1, -1, 0, 0, false, segment, false, 0);
            }
            if (op == 0xdd && (modrm & 0xf8) == 0xc0) {
                return new Decoded(p + 1, Op.FFREE, -1, -1, 0, 0, false, segment, false, modrm & 7);
            }
            if (op == 0xd9 && modrm >> 6 != 3) {
                Op o = switch ((modrm >> 3) & 7) {
                    case 0 -> Op.FLD_M32;
                    case 5 -> Op.FLDCW;
                    case 7 -> Op.FNSTCW;
                    default -> null;
                };
                if (o != null) {
                    return memory(code, p, o, rex, segment, addr32);
                }
            }
        } else if (op == 0x0f && !opsize && !rep) {
            int op2 = byteAt(code, p++);
            int modrm = byteAt(code, p);
            if (op2 == 0xae && modrm >> 6 != 3 && !lock) {
                Op o = switch ((modrm >> 3) & 7) {
                    case 0 -> Op.FXSAVE;
                    case 1 -> Op.FXRSTOR;
                    case 2 -> Op.LDMXCSR;
                    case 3 -> Op.STMXCSR;
                    case 4 -> Op.XSAVE;
                    case 5 -> Op.XRSTOR;
                    case 6 -> Op.XSAVEOPT;
                    default -> null;
                };
                if (o != null) {
                    return memory(code, p, o, rex, segment, addr32);
                }
            }
            if (op2 == 0xc7 && modrm >> 6 != 3 && ((modrm >> 3) & 7) == 1) {
                return memory(code, p, (rex & 8) != 0 ? Op.CMPXCHG16B : Op.CMPXCHG8B, rex, segment, addr32);
            }
        }
        throw new Unsupported("not an instruction this emulator handles");
    }

    private static int byteAt(byte[] code, int p) throws Unsupported {
        if (p >= code.length || p >= MAX_LENGTH) {
            throw new Unsupported("instruction runs past " + Math.min(code.length, MAX_LENGTH) + " bytes");
        }
        return code[p] & 0xff;
    }

    /** The ModRM (at {@code p}), SIB and displacement of a memory operand. */
    private static Decoded memory(byte[] code, int p, Op op, int rex, int segment, boolean addr32) throws Unsupported {
        int modrm = byteAt(code, p++);
        int mod = modrm >> 6;
        int rm = modrm & 7;
        int base = rm | (rex & 1) << 3;
        int index = -1;
        int scale = 0;
        boolean ripRelative = false;
        if (rm == 4) {
            int sib = byteAt(code, p++);
            scale = sib >> 6;
            int idx = (sib >> 3) & 7 | (rex & 2) << 2;
            index = idx == 4 ? -1 : idx;
            base = (sib & 7) | (rex & 1) << 3;
            if ((sib & 7) == 5 && mod == 0) {
                base = -1;
            }
        } else if (rm == 5 && mod == 0) {
            base = -1;
            ripRelative = true;
        }
        long disp = 0;
        if (mod == 1) {
            disp = (byte) byteAt(code, p++);
        } else if (mod == 2 || (mod == 0 && base == -1)) {
            disp = (byteAt(code, p) | byteAt(code, p + 1) << 8 | byteAt(code, p + 2) << 16
                    | byteAt(code, p + 3) << 24);
            p += 4;
        }
        return new Decoded(p, op, base, index, scale, disp, ripRelative, segment, addr32, 0);
    }

    // ---- execution on a vCPU ----

    /** Guest physical memory, as the VM maps it. */
    interface PhysicalMemory {
        byte[] read(long gpa, int len) throws Unsupported;

        void write(long gpa, byte[] data) throws Unsupported;
    }

    private static final LibC C = LibC.INSTANCE;
    static final long GET_FPU_XSAVE = KvmApi.ior(0xa4, 4096);
    static final long SET_FPU_XSAVE = KvmApi.iow(0xa5, 4096);
    static final long GET_XCRS = KvmApi.ior(0xa6, 392);
    static final int XSAVE_SIZE = 4096;
    static final int LEGACY = 512;
    static final int XSTATE_BV = 512;
    static final int XCOMP_BV = 520;
    static final int FCW = 0;
    static final int FSW = 2;
    static final int FTW = 4;
    static final int MXCSR = 24;
    static final int ST0 = 32;
    static final int XMM0 = 160;
    static final long X87 = 1;
    static final long SSE = 2;
    static final long AVX = 4;
    static final long CR4_OSXSAVE = 1L << 18;
    /** x86 register encoding number → index in struct kvm_regs (rax rbx rcx rdx rsi rdi rsp rbp r8…). */
    private static final int[] KVM_REG = {0, 2, 3, 1, 6, 7, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15};

    private final int vcpu;
    private final PhysicalMemory mem;
    /** XSAVE component offset and size by index (from CPUID leaf 0xd); 0 size when absent. */
    private final int[] componentOffset;
    private final int[] componentSize;
    private final java.util.EnumMap<Op, Integer> counts = new java.util.EnumMap<>(Op.class);

    InstructionEmulator(int vcpu, PhysicalMemory mem, int[] componentOffset, int[] componentSize) {
        this.vcpu = vcpu;
        this.mem = mem;
        this.componentOffset = componentOffset;
        this.componentSize = componentSize;
    }

    /** How many instructions of each kind were carried out so far. */
    java.util.Map<Op, Integer> counts() {
        return java.util.Collections.unmodifiableMap(counts);
    }

    /**
     * Emulates the instruction at the vCPU's RIP.
     *
     * @throws Unsupported with one line naming the bytes at RIP and the guest address, when it cannot
     */
    void emulate() throws Unsupported {
        Memory regs = new Memory(KvmApi.REGS_SIZE);
        Memory sregs = new Memory(KvmApi.SREGS_SIZE);
        C.ioctl(vcpu, KvmApi.GET_REGS, regs);
        C.ioctl(vcpu, KvmApi.GET_SREGS, sregs);
        long rip = regs.getLong(KvmApi.REG_RIP);
        Paging paging = new Paging(sregs);
        byte[] code = fetch(paging, rip);
        Decoded d;
        try {
            if ((sregs.getByte(KvmApi.SREGS_CS + 19) & 1) == 0) {
                throw new Unsupported("only 64-bit mode code is handled");
            }
            d = decode(code);
        } catch (Unsupported e) {
            throw new Unsupported(String.format("cannot emulate %s at rip 0x%x (guest physical 0x%x): %s",
                    hex(code), rip, paging.translate(rip), e.getMessage()));
        }
        long[] gpr = new long[16];
        for (int i = 0; i < 16; i++) {
            gpr[i] = regs.getLong(8L * KVM_REG[i]);
        }
        long fsBase = sregs.getLong(KvmApi.SREGS_FS);
        long gsBase = sregs.getLong(KvmApi.SREGS_GS);
        long ea = d.address(gpr, rip, fsBase, gsBase);
        boolean xsaveFamily = d.op() == Op.XSAVE || d.op() == Op.XSAVEOPT || d.op() == Op.XRSTOR;
        if (xsaveFamily && (sregs.getLong(KvmApi.SREGS_CR4) & CR4_OSXSAVE) == 0) {
            throw new Unsupported(String.format("%s at rip 0x%x with CR4.OSXSAVE clear would raise #UD",
                    d.op(), rip));
        }
        execute(d, regs, paging, ea, gpr);
        regs.setLong(KvmApi.REG_RIP, rip + d.length());
        C.ioctl(vcpu, KvmApi.SET_REGS, regs);
        counts.merge(d.op(), 1, Integer::sum);
    }

    private byte[] fetch(Paging paging, long rip) throws Unsupported {
        byte[] code = new byte[MAX_LENGTH];
        for (int i = 0; i < MAX_LENGTH; i++) {
            code[i] = paging.read(rip + i, 1)[0];
        }
        return code;
    }

    private void execute(Decoded d, Memory regs, Paging paging, long ea, long[] gpr) throws Unsupported {
        if (d.op() == Op.CMPXCHG8B || d.op() == Op.CMPXCHG16B) {
            cmpxchg(d.op() == Op.CMPXCHG16B ? 16 : 8, regs, paging, ea, gpr);
            return;
        }
        if (d.op() == Op.FWAIT) {
            return;
        }
        Memory x = new Memory(XSAVE_SIZE);
        C.ioctl(vcpu, GET_FPU_XSAVE, x);
        ByteBuffer s = ByteBuffer.wrap(x.getByteArray(0, XSAVE_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
        long touched = 0;
        switch (d.op()) {
            case FLDCW -> {
                s.putShort(FCW, le(paging.read(ea, 2)).getShort(0));
                touched = X87;
            }
            case FNSTCW -> paging.write(ea, bytes(s, FCW, 2));
            case FNCLEX -> {
                s.putShort(FSW, (short) (s.getShort(FSW) & 0x7f00));
                touched = X87;
            }
            case FNINIT -> {
                s.putShort(FCW, (short) 0x37f).putShort(FSW, (short) 0).put(FTW, (byte) 0).putShort(6, (short) 0)
                        .putLong(8, 0).putLong(16, 0);
                touched = X87;
            }
            case FFREE -> {
                int top = (s.getShort(FSW) >> 11) & 7;
                s.put(FTW, (byte) (s.get(FTW) & ~(1 << ((top + d.stIndex()) & 7))));
                touched = X87;
            }
            case FLD_M32 -> {
                push(s, extended(le(paging.read(ea, 4)).getInt(0)));
                touched = X87;
            }
            case LDMXCSR -> {
                s.putInt(MXCSR, le(paging.read(ea, 4)).getInt(0));
                touched = SSE;
            }
            case STMXCSR -> paging.write(ea, bytes(s, MXCSR, 4));
            case FXSAVE -> paging.write(ea, bytes(s, 0, LEGACY));
            case FXRSTOR -> {
                byte[] img = paging.read(ea, LEGACY);
                s.put(0, img, 0, 28).put(ST0, img, ST0, XMM0 + 16 * 16 - ST0);
                touched = X87 | SSE;
            }
            case XSAVE, XSAVEOPT -> xsave(s, paging, ea, rfbm(gpr));
            case XRSTOR -> touched = xrstor(s, paging, ea, rfbm(gpr));
            default -> throw new Unsupported("no execution for " + d.op());
        }
        if (touched != 0) {
            s.putLong(XSTATE_BV, s.getLong(XSTATE_BV) | touched);
            x.write(0, s.array(), 0, XSAVE_SIZE);
            C.ioctl(vcpu, SET_FPU_XSAVE, x);
        }
    }

    /** The requested-feature bitmap of XSAVE/XRSTOR: EDX:EAX masked by XCR0. */
    private long rfbm(long[] gpr) {
        Memory xcrs = new Memory(392);
        xcrs.clear();
        C.ioctl(vcpu, GET_XCRS, xcrs);
        long xcr0 = X87;
        for (int i = 0; i < xcrs.getInt(0); i++) {
            if (xcrs.getInt(8 + 16L * i) == 0) {
                xcr0 = xcrs.getLong(8 + 16L * i + 8);
            }
        }
        return ((gpr[2] & 0xffffffffL) << 32 | (gpr[0] & 0xffffffffL)) & xcr0;
    }

    private void xsave(ByteBuffer s, Paging paging, long ea, long rfbm) throws Unsupported {
        if ((rfbm & X87) != 0) {
            paging.write(ea, bytes(s, 0, 24));
            paging.write(ea + ST0, bytes(s, ST0, 8 * 16));
        }
        if ((rfbm & (SSE | AVX)) != 0) {
            paging.write(ea + MXCSR, bytes(s, MXCSR, 8));
        }
        if ((rfbm & SSE) != 0) {
            paging.write(ea + XMM0, bytes(s, XMM0, 16 * 16));
        }
        for (int i = 2; i < 64; i++) {
            if ((rfbm & 1L << i) != 0 && i < componentSize.length && componentSize[i] > 0) {
                paging.write(ea + componentOffset[i], bytes(s, componentOffset[i], componentSize[i]));
            }
        }
        long bv = le(paging.read(ea + XSTATE_BV, 8)).getLong(0);
        bv = (bv & ~rfbm) | (s.getLong(XSTATE_BV) & rfbm);
        paging.write(ea + XSTATE_BV, le(new byte[8]).putLong(0, bv).array());
    }

    private long xrstor(ByteBuffer s, Paging paging, long ea, long rfbm) throws Unsupported {
        ByteBuffer header = le(paging.read(ea + XSTATE_BV, 16));
        long bv = header.getLong(0);
        if (header.getLong(8) < 0) {
            throw new Unsupported("XRSTOR of a compacted-format area is not handled");
        }
        if ((rfbm & X87) != 0) {
            if ((bv & X87) != 0) {
                s.put(0, paging.read(ea, 24), 0, 24);
                s.put(ST0, paging.read(ea + ST0, 128), 0, 128);
            } else {
                s.put(0, new byte[24]).put(ST0, new byte[128]).putShort(FCW, (short) 0x37f);
            }
        }
        if ((rfbm & (SSE | AVX)) != 0) {
            s.put(MXCSR, paging.read(ea + MXCSR, 4), 0, 4);
        }
        if ((rfbm & SSE) != 0) {
            s.put(XMM0, (bv & SSE) != 0 ? paging.read(ea + XMM0, 256) : new byte[256], 0, 256);
        }
        for (int i = 2; i < 64; i++) {
            if ((rfbm & 1L << i) != 0 && i < componentSize.length && componentSize[i] > 0) {
                s.put(componentOffset[i], (bv & 1L << i) != 0 ? paging.read(ea + componentOffset[i], componentSize[i])
                        : new byte[componentSize[i]], 0, componentSize[i]);
            }
        }
        s.putLong(XSTATE_BV, (s.getLong(XSTATE_BV) & ~rfbm) | (bv & rfbm));
        return rfbm & (X87 | SSE);
    }

    /** LOCK CMPXCHG8B/16B: compare rDX:rAX with the memory operand; equal → store rCX:rBX, else load it. */
    private static void cmpxchg(int width, Memory regs, Paging paging, long ea, long[] gpr) throws Unsupported {
        ByteBuffer m = le(paging.read(ea, width));
        int half = width / 2;
        long mask = half == 8 ? -1L : 0xffffffffL;
        long lo = half == 8 ? m.getLong(0) : m.getInt(0) & mask;
        long hi = half == 8 ? m.getLong(8) : m.getInt(4) & mask;
        long rflags = regs.getLong(KvmApi.REG_RFLAGS);
        if (lo == (gpr[0] & mask) && hi == (gpr[2] & mask)) {
            ByteBuffer out = le(new byte[width]);
            if (half == 8) {
                out.putLong(0, gpr[3]).putLong(8, gpr[1]);
            } else {
                out.putInt(0, (int) gpr[3]).putInt(4, (int) gpr[1]);
            }
            paging.write(ea, out.array());
            rflags |= 0x40;
        } else {
            regs.setLong(8L * KVM_REG[0], lo);
            regs.setLong(8L * KVM_REG[2], hi);
            rflags &= ~0x40L;
        }
        regs.setLong(KvmApi.REG_RFLAGS, rflags);
    }

    /** Pushes an 80-bit value on the x87 stack: TOP decremented, registers (kept in ST order) shifted. */
    private static void push(ByteBuffer s, byte[] value) {
        int top = ((s.getShort(FSW) >> 11) - 1) & 7;
        s.putShort(FSW, (short) ((s.getShort(FSW) & ~0x3800) | top << 11));
        for (int i = 7; i > 0; i--) {
            s.put(ST0 + 16 * i, bytes(s, ST0 + 16 * (i - 1), 16), 0, 16);
        }
        s.put(ST0, new byte[16]).put(ST0, value, 0, 10);
        s.put(FTW, (byte) (s.get(FTW) | 1 << top));
    }

    /** A single-precision value as an x87 80-bit extended one (sign, 15-bit exponent, explicit integer bit). */
    static byte[] extended(int f) {
        long sign = (f >>> 31) & 1;
        int exp = (f >>> 23) & 0xff;
        long frac = f & 0x7fffffL;
        long mant;
        int e;
        if (exp == 0 && frac == 0) {
            e = 0;
            mant = 0;
        } else if (exp == 0xff) {
            e = 0x7fff;
            mant = 1L << 63 | frac << 40;
        } else if (exp == 0) {
            int shift = Long.numberOfLeadingZeros(frac) - 40;
            mant = frac << (40 + shift);
            e = 16383 - 126 - shift;
        } else {
            e = exp - 127 + 16383;
            mant = 1L << 63 | frac << 40;
        }
        ByteBuffer b = le(new byte[10]);
        b.putLong(0, mant).putShort(8, (short) (sign << 15 | e));
        return b.array();
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] bytes(ByteBuffer s, int at, int len) {
        byte[] out = new byte[len];
        s.get(at, out);
        return out;
    }

    static String hex(byte[] code) {
        StringBuilder sb = new StringBuilder();
        for (byte b : code) {
            sb.append(String.format("%02x ", b & 0xff));
        }
        return sb.toString().trim();
    }

    /** Guest virtual addresses through the vCPU's page tables (4-level, 2 MiB and 1 GiB pages). */
    private final class Paging {
        private static final long ADDR = 0x000ffffffffff000L;
        private final boolean enabled;
        private final long cr3;

        Paging(Memory sregs) {
            enabled = (sregs.getLong(KvmApi.SREGS_CR0) & 0x80000000L) != 0;
            cr3 = sregs.getLong(KvmApi.SREGS_CR3);
        }

        long translate(long va) throws Unsupported {
            if (!enabled) {
                return va;
            }
            long table = cr3 & ADDR;
            for (int level = 3; level >= 0; level--) {
                long e = le(mem.read(table + ((va >>> (12 + 9 * level)) & 0x1ff) * 8, 8)).getLong(0);
                if ((e & 1) == 0) {
                    throw new Unsupported(String.format("guest address 0x%x is not mapped", va));
                }
                if (level == 0 || (level <= 2 && (e & 0x80) != 0)) {
                    long size = 1L << (12 + 9 * level);
                    return (e & ADDR & ~(size - 1)) | (va & (size - 1));
                }
                table = e & ADDR;
            }
            throw new IllegalStateException();
        }

        byte[] read(long va, int len) throws Unsupported {
            byte[] out = new byte[len];
            for (int done = 0; done < len; ) {
                int n = (int) Math.min(len - done, 4096 - ((va + done) & 0xfff));
                System.arraycopy(mem.read(translate(va + done), n), 0, out, done, n);
                done += n;
            }
            return out;
        }

        void write(long va, byte[] data) throws Unsupported {
            for (int done = 0; done < data.length; ) {
                int n = (int) Math.min(data.length - done, 4096 - ((va + done) & 0xfff));
                byte[] part = new byte[n];
                System.arraycopy(data, done, part, 0, n);
                mem.write(translate(va + done), part);
                done += n;
            }
        }
    }
}
