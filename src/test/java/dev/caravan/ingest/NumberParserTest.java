package dev.caravan.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NumberParserTest {
    private static double parse(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return NumberParser.parse(bytes, 0, bytes.length);
    }

    @Test
    void agreesWithJavaOnRandomDecimals() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            double value = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-8, 12));
            String text = random.nextBoolean()
                    ? Double.toString(value)
                    : String.format(Locale.ROOT, "%." + random.nextInt(0, 12) + "f", value);
            assertThat(parse(text)).as(text).isEqualTo(Double.parseDouble(text));
        }
    }

    @Test
    void agreesWithJavaOnEdgeCases() {
        for (String text : new String[] {
            "0",
            "-0",
            "+1",
            "1.",
            ".5",
            "007",
            "1e3",
            "1E-5",
            "123456789012345678901",
            "0.000000000000000000000000001",
            "9007199254740993",
            " 42 ",
            "3.14159265358979323846"
        }) {
            assertThat(parse(text)).as(text).isEqualTo(Double.parseDouble(text.trim()));
        }
    }

    @Test
    void rejectsTextAndNonFiniteValues() {
        for (String text :
                new String[] {"", "-", ".", "abc", "1,5", "1.2.3", "0x10", "NaN", "Infinity", "1e999", "2d"}) {
            assertThat(parse(text)).as(text).isNaN();
        }
        assertThat(NumberParser.isNonFinite("-Inf")).isTrue();
        assertThat(NumberParser.isNonFinite("nan")).isTrue();
        assertThat(NumberParser.isNonFinite("n/a")).isFalse();
    }
}
