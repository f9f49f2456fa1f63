package dev.lunas.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiAccessFilterTest {

    @Test
    void everySpellingOfAProtectedPathIsRecognised() {
        assertThat(ApiAccessFilter.normalized("internal/payments")).isEqualTo("/internal/payments");
        assertThat(ApiAccessFilter.normalized("//internal//payments")).isEqualTo("/internal/payments");
        assertThat(ApiAccessFilter.normalized("/api/../internal/payments")).isEqualTo("/internal/payments");
        assertThat(ApiAccessFilter.normalized("/./admin/x")).isEqualTo("/admin/x");
        assertThat(ApiAccessFilter.normalized("/api/orders/a b")).isEqualTo("/api/orders/a b");
    }

    @Test
    void tokensAreComparedByValue() {
        assertThat(ApiAccessFilter.constantTimeEquals("s3cret", "s3cret")).isTrue();
        assertThat(ApiAccessFilter.constantTimeEquals("s3cret", "s3cre")).isFalse();
        assertThat(ApiAccessFilter.constantTimeEquals("", "s3cret")).isFalse();
    }
}
