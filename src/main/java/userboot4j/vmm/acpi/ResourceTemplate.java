package userboot4j.vmm.acpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Resource data (ACPI 6.x, 6.4): the descriptors a _CRS buffer lists, closed by an End Tag, as ASL's
 * ResourceTemplate () builds it. Address space descriptors here are all "producer, fixed minimum and
 * maximum, positive decode", what a host bridge says of the windows it forwards.
 */
final class ResourceTemplate {
    private static final int IO = 0x47;
    private static final int IRQ_NO_FLAGS = 0x22;
    private static final int END_TAG = 0x79;
    private static final int DWORD_ADDRESS_SPACE = 0x87;
    private static final int WORD_ADDRESS_SPACE = 0x88;
    private static final int MEMORY_RANGE = 0;
    private static final int IO_RANGE = 1;
    private static final int BUS_NUMBER_RANGE = 2;
    /** General flags: _MAF and _MIF set, _DEC positive, producer. */
    private static final int PRODUCER_FIXED = 0x0c;
    /** I/O type-specific flags: _RNG "entire range" (ISA and non-ISA ports). */
    private static final int ENTIRE_RANGE = 0x03;
    /** Memory type-specific flags: _RW read-write; _MEM cacheable (bit 1) or not. */
    static final int READ_WRITE = 0x01;
    static final int CACHEABLE_READ_WRITE = 0x03;

    private ResourceTemplate() {
    }

    /** The descriptors and an End Tag (checksum 0: "treat as valid"), as an AML Buffer. */
    static byte[] of(byte[]... descriptors) {
        return Aml.buffer(Aml.concat(Aml.concat(descriptors), new byte[] {END_TAG, 0}));
    }

    /** IO (Decode16, base, base, 1, length): a fixed range of ports decoded with 16 address bits. */
    static byte[] io(int base, int length) {
        return le(8).put((byte) IO).put((byte) 1).putShort((short) base).putShort((short) base).put((byte) 1)
                .put((byte) length).array();
    }

    /** IRQNoFlags () {irq}: an ISA interrupt, edge-triggered and active-high. */
    static byte[] irqNoFlags(int irq) {
        return le(3).put((byte) IRQ_NO_FLAGS).putShort((short) (1 << irq)).array();
    }

    /** WordBusNumber: the bus numbers behind the bridge. */
    static byte[] wordBusNumber(int min, int max) {
        return word(BUS_NUMBER_RANGE, 0, min, max);
    }

    /** WordIO: a window of I/O ports. */
    static byte[] wordIo(int min, int max) {
        return word(IO_RANGE, ENTIRE_RANGE, min, max);
    }

    /** DWordMemory: a window of 32-bit memory addresses. */
    static byte[] dwordMemory(int typeFlags, long min, long max) {
        return le(26).put((byte) DWORD_ADDRESS_SPACE).putShort((short) 23).put((byte) MEMORY_RANGE)
                .put((byte) PRODUCER_FIXED).put((byte) typeFlags).putInt(0).putInt((int) min).putInt((int) max)
                .putInt(0).putInt((int) (max - min + 1)).array();
    }

    /** Word address space descriptor: granularity 0, no translation, length max − min + 1. */
    private static byte[] word(int type, int typeFlags, int min, int max) {
        return le(16).put((byte) WORD_ADDRESS_SPACE).putShort((short) 13).put((byte) type).put((byte) PRODUCER_FIXED)
                .put((byte) typeFlags).putShort((short) 0).putShort((short) min).putShort((short) max)
                .putShort((short) 0).putShort((short) (max - min + 1)).array();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
