package dev.lunas.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskingTest {

    @Test
    void emailKeepsFirstLetterAndDomain() {
        assertThat(Masking.email("budi.santoso@example.com")).isEqualTo("b***@example.com");
        assertThat(Masking.email("not-an-email")).isEqualTo("***");
        assertThat(Masking.email(null)).isEmpty();
    }

    @Test
    void phoneKeepsCountryCodeAndLastFourDigits() {
        assertThat(Masking.phone("+6281234567890")).isEqualTo("+62***7890");
        assertThat(Masking.phone("+62 812-3456-7890")).isEqualTo("+62***7890");
        assertThat(Masking.phone("12345")).isEqualTo("***");
    }
}
