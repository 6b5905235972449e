package userboot4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Messages carry names from the guest's disk: they stay one printable line on the host's terminal. */
class BootExceptionTest {
    @Test
    void controlCharactersFromTheGuestAreShownNotSent() {
        String name = "evil\n\u001b[2J\rname\u007f";
        BootException e = new BootException.NotFound("disk0:/boot/" + name + ": no such file");
        assertThat(e.getMessage()).isEqualTo("disk0:/boot/evil\\x0a\\x1b[2J\\x0dname\\x7f: no such file");
        assertThat(new BootException.InvalidFormat("plain").getMessage()).isEqualTo("plain");
    }
}
