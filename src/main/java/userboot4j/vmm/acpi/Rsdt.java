package userboot4j.vmm.acpi;

import java.nio.ByteBuffer;

/** RSDT and XSDT (ACPI 5.2.7, 5.2.8): the lists of the other tables, with 32- and 64-bit pointers. */
final class Rsdt {
    private Rsdt() {
    }

    static byte[] rsdt(long... tables) {
        ByteBuffer b = SdtHeader.table("RSDT", SdtHeader.SIZE + 4 * tables.length, 1, "BVRSDT");
        for (int i = 0; i < tables.length; i++) {
            b.putInt(SdtHeader.SIZE + 4 * i, (int) tables[i]);
        }
        return SdtHeader.seal(b);
    }

    static byte[] xsdt(long... tables) {
        ByteBuffer b = SdtHeader.table("XSDT", SdtHeader.SIZE + 8 * tables.length, 1, "BVXSDT");
        for (int i = 0; i < tables.length; i++) {
            b.putLong(SdtHeader.SIZE + 8 * i, tables[i]);
        }
        return SdtHeader.seal(b);
    }
}
