package userboot4j.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import userboot4j.BootException;

/**
 * The PNP match table of an MDT_PNP_INFO record ({@code struct mod_pnp_match_info}): its description
 * string (the {@code MODULE_PNP_INFO} format of sys/module.h), {@code numEntry} entries of {@code entryLen}
 * bytes with their pointers relocated, and a reader for the strings those pointers lead to.
 */
public record PnpTable(String descr, int entryLen, int numEntry, byte[] entries, int pointerSize, Strings strings) {
    /** Longest description read, its NUL included: the buffer kldxref(8) reads it into. */
    public static final int DESCR_MAX = 1024;

    /** Reads a NUL-terminated string at an address of the file's image. */
    @FunctionalInterface
    public interface Strings {
        /**
         * The string at {@code addr}, which must end within {@code max} bytes (its NUL included); null when
         * {@code addr} is outside the file's image.
         */
        String at(long addr, int max) throws BootException;
    }

    private ByteBuffer entry(int index, int offset, int size) {
        if (offset < 0 || offset + size > entryLen || index < 0 || index >= numEntry) {
            throw new IndexOutOfBoundsException("PNP entry " + index + " offset " + offset + " size " + size);
        }
        return ByteBuffer.wrap(entries, index * entryLen + offset, size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The unsigned {@code size}-byte integer (1, 2 or 4) at {@code offset} of entry {@code index}. */
    public long unsigned(int index, int offset, int size) {
        ByteBuffer b = entry(index, offset, size);
        return switch (size) {
            case 1 -> b.get() & 0xffL;
            case 2 -> b.getShort() & 0xffffL;
            case 4 -> b.getInt() & 0xffffffffL;
            default -> throw new IllegalArgumentException("integer size " + size);
        };
    }

    /** The pointer at {@code offset} of entry {@code index}. */
    public long pointer(int index, int offset) {
        ByteBuffer b = entry(index, offset, pointerSize);
        return pointerSize == 8 ? b.getLong() : b.getInt() & 0xffffffffL;
    }
}
