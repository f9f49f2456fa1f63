package dev.lunas.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    @Test
    void theMostSpecificGuardOwnsAPathAndABlankTokenOpensNothing() {
        List<ApiAccessFilter.Route> routes = ApiAccessFilter.routes(Map.of(
                "relay", guard(Optional.of("r"), "/internal/payment-events"),
                "wide", guard(Optional.of("w"), "/internal"),
                "closed", guard(Optional.of("  "), "/internal/closed/")));

        assertThat(routes).extracting(ApiAccessFilter.Route::prefix)
                .containsExactly("/internal/payment-events", "/internal/closed/", "/internal");
        assertThat(routes.get(1).token()).isEmpty();
    }

    private static ApiAccessConfig.Guard guard(Optional<String> token, String... paths) {
        return new ApiAccessConfig.Guard() {
            @Override
            public List<String> paths() {
                return List.of(paths);
            }

            @Override
            public Optional<String> token() {
                return token;
            }
        };
    }
}
