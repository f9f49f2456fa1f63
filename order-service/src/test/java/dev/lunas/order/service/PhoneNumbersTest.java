package dev.lunas.order.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumbersTest {

    @ParameterizedTest
    @CsvSource({
            "081234567890, +6281234567890",
            "0812-3456-7890, +6281234567890",
            "0812 3456 7890, +6281234567890",
            "(0812) 3456.7890, +6281234567890",
            "6281234567890, +6281234567890",
            "+6281234567890, +6281234567890",
            "+62 812-3456-7890, +6281234567890",
            "+62 0812 3456 7890, +6281234567890",
            "0811234567, +62811234567",
            "0895-1234-56789, +62895123456789"})
    void indonesianMobileNumbersBecomeE164(String typed, String expected) {
        assertThat(PhoneNumbers.toE164(typed)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0812", "08123456", "021-555-1234", "0215551234", "+62215551234", "0812345678901234",
            "081234567890x", "+1 415 555 0100", "81234567890", "0802-3456-7890", "+62 8", "６２８１２３４５６７８９０"})
    void everythingElseIsRefused(String typed) {
        assertThat(PhoneNumbers.toE164(typed)).isEmpty();
    }
}
