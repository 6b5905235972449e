package userboot4j.vmm.kvm.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** The port-level behaviour a FreeBSD uart(4) and clock driver expect (16550 and MC146818 data sheets). */
class DeviceModelTest {
    @Test
    void uartTransmitsAndReportsAnEmptyTransmitter() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Uart16550 u = new Uart16550(0x3f8, out, new ByteArrayInputStream(new byte[] {'k'}));
        assertThat(u.in(0x3fd, 1) & 0x60).isEqualTo(0x60);
        assertThat(u.in(0x3fd, 1) & 0x01).isEqualTo(1);
        assertThat(u.in(0x3f8, 1)).isEqualTo('k');
        assertThat(u.in(0x3fd, 1) & 0x01).isZero();
        u.out(0x3f8, 1, 'h');
        u.out(0x3f8, 1, 'i');
        assertThat(out.toString()).isEqualTo("hi");
        // With DLAB set, offsets 0 and 1 are the divisor latch, not data.
        u.out(0x3fb, 1, 0x83);
        u.out(0x3f8, 1, 0x01);
        u.out(0x3f9, 1, 0x00);
        assertThat(u.in(0x3f8, 1)).isEqualTo(1);
        u.out(0x3fb, 1, 0x03);
        assertThat(out.toString()).isEqualTo("hi");
        assertThat(u.in(0x3fa, 1) & 1).isEqualTo(1);
        u.out(0x3ff, 1, 0x5a);
        assertThat(u.in(0x3ff, 1)).isEqualTo(0x5a);
    }

    @Test
    void aGuestPollingForInputIsWaitingAtAPrompt() {
        Uart16550 u = new Uart16550(0x3f8, new ByteArrayOutputStream(), null);
        u.out(0x3f8, 1, '>');
        for (int i = 0; i < 1000; i++) {
            u.in(0x3fd, 1);
        }
        assertThat(u.waitingForInput()).isFalse();
        u.in(0x3fd, 1);
        assertThat(u.waitingForInput()).isTrue();
        u.out(0x3f8, 1, ' ');
        assertThat(u.waitingForInput()).isFalse();
    }

    @Test
    void scriptedConsoleTypesAfterWhatItExpects() throws Exception {
        ScriptedConsole c = ScriptedConsole.parse("# comment\nexpect: login: \nsend: root\\n\nexpect: #\n");
        Uart16550 u = new Uart16550(0x3f8, c.output(null), c.input());
        assertThat(u.in(0x3fd, 1) & 1).isZero();
        for (char ch : "FreeBSD\nlogin: ".toCharArray()) {
            u.out(0x3f8, 1, ch);
        }
        StringBuilder typed = new StringBuilder();
        while ((u.in(0x3fd, 1) & 1) != 0) {
            typed.append((char) u.in(0x3f8, 1));
        }
        assertThat(typed.toString()).isEqualTo("root\n");
        assertThat(c.finished()).isFalse();
        u.out(0x3f8, 1, '#');
        assertThat(c.finished()).isTrue();
        assertThat(c.transcript()).isEqualTo("FreeBSD\nlogin: #");
    }

    @Test
    void emptyPortsReadAllOnesAndPciHasNoDevice() {
        IoBus bus = new IoBus();
        bus.register(PciConfigNoDevice.ADDRESS, PciConfigNoDevice.COUNT, new PciConfigNoDevice());
        assertThat(bus.in(0x80, 1)).isEqualTo(0xff);
        assertThat(bus.in(0x1234, 2)).isEqualTo(0xffff);
        assertThat(bus.in(0x1234, 4)).isEqualTo(-1);
        bus.out(0xcf8, 4, 0x80000000);
        assertThat(bus.in(0xcf8, 4)).isEqualTo(0x80000000);
        assertThat(bus.in(0xcfc, 4)).isEqualTo(-1);
        assertThat(bus.in(0xcfe, 2)).isEqualTo(0xffff);
    }

    /**
     * What ACPICA writes on our FADT (AcpiTablesTest runs it): power-off clears WAK_STS at 0x405, then
     * writes SLP_EN | SLP_TYP 5 = 0x34 to 0x404; FreeBSD's reboot writes the reset value 1 to 0x406.
     */
    @Test
    void acpiPowerOffAndResetAreRequestsToTheMachine() {
        IoBus off = Devices.standard(new Uart16550(0x3f8, new ByteArrayOutputStream(), null));
        off.out(0x405, 1, 0x80);
        assertThat(off.in(0x405, 1)).as("WAK_STS never set").isZero();
        off.out(0x404, 1, 0x20 | 1 << 2);
        off.out(0x406, 1, 0x06);
        assertThat(off.requested()).as("S1, a stray reset value, a status write").isNull();
        off.out(0x404, 1, 0x34);
        assertThat(off.requested()).isEqualTo(IoBus.Request.POWER_OFF);
        off.out(0x406, 1, 0x01);
        assertThat(off.requested()).as("the first request stands").isEqualTo(IoBus.Request.POWER_OFF);

        IoBus reset = Devices.standard(new Uart16550(0x3f8, new ByteArrayOutputStream(), null));
        reset.out(0x406, 1, 0x01);
        assertThat(reset.requested()).isEqualTo(IoBus.Request.REBOOT);
    }

    @Test
    void cmosClockIsBcdAndStable() {
        Cmos c = new Cmos();
        c.out(0x70, 1, 0x0b);
        assertThat(c.in(0x71, 1) & 0x04).as("BCD mode").isZero();
        c.out(0x70, 1, 0x0a);
        assertThat(c.in(0x71, 1) & 0x80).as("no update in progress").isZero();
        c.out(0x70, 1, 0x08);
        int month = c.in(0x71, 1);
        assertThat(month >> 4).isBetween(0, 1);
        assertThat(month & 0xf).isBetween(0, 9);
        c.out(0x70, 1, 0x40);
        c.out(0x71, 1, 0x77);
        assertThat(c.in(0x71, 1)).isEqualTo(0x77);
    }
}
