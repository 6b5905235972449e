package userboot4j.fs.zfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Skein-512 against published known answers: the Skein 1.3 specification's appendix C (messages FF,
 * FF FE … C0 and FF FE … 80), the submission's golden KAT file (unkeyed and keyed, messages D3 09 0C …,
 * key CB 41 F1 …, with 32- and 64-byte keys as ZFS's 32-byte salt is), the SHA-3 submission's
 * ShortMsgKAT_256 (message CC) and the digests of the empty message and a pangram that the Skein
 * authors' reference code gives.
 */
class Skein512Test {
    static final String GOLDEN_MSG = "D3090C72167517F7C7AD82A70C2FD3F6443F608301591E598EADB195E8357135"
            + "BA26FEDE2EE187417F816048D00FC23512737A2113709A77E4170C49A94B7FDF"
            + "F45FF579A72287743102E7766C35CA5ABC5DFE2F63A1E726CE5FBD2926DB03A2"
            + "DD18B03FC1508A9AAC45EB362440203A323E09EDEE6324EE2E37B4432C1867ED";
    static final String GOLDEN_KEY = "CB41F1706CDE09651203C2D0EFBADDF847A0D315CB2E53FF8BAC41DA0002672E"
            + "920244C66E02D5F0DAD3E94C42BB65F0D14157DECF4105EF5609D5B0984457C1";

    /** FF FE FD … counting down, the appendix C messages. */
    static String descending(int n) {
        byte[] m = new byte[n];
        for (int i = 0; i < n; i++) {
            m[i] = (byte) (0xff - i);
        }
        return HexFormat.of().formatHex(m);
    }

    static Stream<Arguments> vectors() {
        return Stream.of(
                Arguments.of("spec C.2, 1 byte", 512, "", descending(1),
                        "71B7BCE6FE6452227B9CED6014249E5BF9A9754C3AD618CCC4E0AAE16B316CC8"
                        + "CA698D864307ED3E80B6EF1570812AC5272DC409B5A012DF2A579102F340617A"),
                Arguments.of("spec C.2, 64 bytes", 512, "", descending(64),
                        "45863BA3BE0C4DFC27E75D358496F4AC9A736A505D9313B42B2F5EADA79FC17F"
                        + "63861E947AFB1D056AA199575AD3F8C9A3CC1780B5E5FA4CAE050E989876625B"),
                Arguments.of("spec C.2, 128 bytes", 512, "", descending(128),
                        "91CCA510C263C4DDD010530A33073309628631F308747E1BCBAA90E451CAB92E"
                        + "5188087AF4188773A332303E6667A7A210856F742139000071F48E8BA2A5ADB7"),
                Arguments.of("empty message", 256, "", "",
                        "39CCC4554A8B31853B9DE7A1FE638A24CCE6B35A55F2431009E18780335D2621"),
                Arguments.of("pangram", 256, "", HexFormat.of().formatHex(
                        "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII)),
                        "B3250457E05D3060B1A4BBC1428BC75A3F525CA389AEAB96CFA34638D96E492A"),
                Arguments.of("ShortMsgKAT_256, Len = 8", 256, "", "CC",
                        "A018268ED814E0AD0F2D0304E8FE3F4118FCEFC07454D07123CC2C3E40E06A4F"),
                Arguments.of("golden KAT, 128 bytes", 256, "", GOLDEN_MSG,
                        "AA703B798B6F472BAA9D1E1689FA0F70F8DCA25A6046BB2C8FB7F34407934AE4"),
                Arguments.of("golden KAT, 8 bytes, 32-byte key", 512, GOLDEN_KEY.substring(0, 64),
                        GOLDEN_MSG.substring(0, 16),
                        "0C1F1921253DD8E5C2D4C5F4099F851042D91147892705829161F5FC64D89785"
                        + "226EB6E187068493EE4C78A4B7C0F55A8CBBB1A5982C2DAF638FC6A74B16B0D7"),
                Arguments.of("golden KAT, 96 bytes, 32-byte key", 512, GOLDEN_KEY.substring(0, 64),
                        GOLDEN_MSG.substring(0, 192),
                        "D10E3BA81855AC087FBF5A3BC1F99B27D05F98BA22441138026225D34A418B93"
                        + "FD9E8DFAF5120757451ADABE050D0EB59D271B0FE1BBF04BADBCF9BA25A8791B"),
                Arguments.of("golden KAT, 128 bytes, 32-byte key, 384 bits", 384, GOLDEN_KEY.substring(0, 64),
                        GOLDEN_MSG,
                        "DFBF5C1319A1D9D70EFB2F1600FBCF694F935907F31D24A16D6CD2FB2D7855A7"
                        + "69681766C0A29DA778EED346CD1D740F"),
                Arguments.of("golden KAT, 48 bytes, 64-byte key", 512, GOLDEN_KEY, GOLDEN_MSG.substring(0, 96),
                        "A947812529A72FD3B8967EC391B298BEE891BABC8487A1EC4EA3D88F6B2B5BE0"
                        + "9AC6A780F30F8E8C3BBB4F18BC302A28F3E87D170BA0F858A8FEFE3487478CCA"),
                Arguments.of("golden KAT, 128 bytes, 64-byte key", 512, GOLDEN_KEY, GOLDEN_MSG,
                        "04D8CDDB0AD931D54D195899A094684344E902286037272890BCE98A41813EDC"
                        + "37A3CEE190A693FCCA613EE30049CE7EC2BDFF9613F56778A13F8C28A21D167A"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void knownAnswer(String source, int bits, String key, String message, String expected) {
        byte[] digest = new Skein512(HexFormat.of().parseHex(key), bits).digest(HexFormat.of().parseHex(message));
        assertThat(HexFormat.of().withUpperCase().formatHex(digest)).isEqualTo(expected);
    }
}
