package userboot4j.vmm.kvm.dev;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The RTC/CMOS at ports 0x70 (index) and 0x71 (data): the clock reads the host's UTC time in BCD, status
 * registers say "no update in progress, 24-hour BCD", other bytes read as written (zero at first).
 */
public final class Cmos implements IoPort {
    public static final int PORT = 0x70;
    private static final int STATUS_A = 0x0a;
    private static final int STATUS_B = 0x0b;
    private static final int STATUS_D = 0x0d;
    private static final int STATUS_B_24H = 0x02;
    private static final int STATUS_D_VALID = 0x80;

    private final byte[] ram = new byte[128];
    private int index;

    @Override
    public int in(int port, int size) {
        if (port == PORT) {
            return index;
        }
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        return switch (index) {
            case 0x00 -> bcd(now.getSecond());
            case 0x02 -> bcd(now.getMinute());
            case 0x04 -> bcd(now.getHour());
            case 0x06 -> bcd(now.getDayOfWeek().getValue() % 7 + 1);
            case 0x07 -> bcd(now.getDayOfMonth());
            case 0x08 -> bcd(now.getMonthValue());
            case 0x09 -> bcd(now.getYear() % 100);
            case 0x32 -> bcd(now.getYear() / 100);
            case STATUS_A -> 0x26;
            case STATUS_B -> STATUS_B_24H;
            case STATUS_D -> STATUS_D_VALID;
            default -> ram[index] & 0xff;
        };
    }

    @Override
    public void out(int port, int size, int value) {
        if (port == PORT) {
            index = value & 0x7f;
        } else {
            ram[index] = (byte) value;
        }
    }

    private static int bcd(int v) {
        return (v / 10) << 4 | (v % 10);
    }
}
