package dev.lunas.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.order.testing.Checkouts;
import dev.lunas.order.testing.Concurrently;
import dev.lunas.order.testing.Db;
import dev.lunas.order.testing.Http;
import dev.lunas.order.testing.InjectPaymentService;
import dev.lunas.order.testing.PaymentServiceStub;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(PaymentServiceStub.class)
class DiscountCodeTest {

    @InjectPaymentService
    WireMockServer paymentService;

    @Inject
    CircuitBreakerMaintenance breakers;

    @TestHTTPResource("/")
    URI base;

    @BeforeEach
    void paymentServiceIssuesTokens() {
        breakers.resetAll();
        paymentService.resetAll();
        PaymentServiceStub.issueTokens(paymentService);
    }

    @Test
    void aPercentCodeIsAppliedServerSideAndMatchedCaseInsensitively() {
        String code = Db.createPercentCode(10, null, null, false);

        Response response = Checkouts.post(Checkouts.key(),
                Checkouts.body(Checkouts.SEED_PACKAGE, Checkouts.email(), "081234567890", code.toLowerCase()));

        response.then().statusCode(201)
                .body("price", equalTo(99000))
                .body("discountCode", equalTo(code))
                .body("discountAmount", equalTo(9900))
                .body("amount", equalTo(89100));
        assertThat(Db.uses(code)).isEqualTo(1);
        assertThat(paymentService.getAllServeEvents().get(0).getRequest().getBodyAsString()).contains("\"amount\":89100");
    }

    @Test
    void noDiscountTakesTheAmountBelowOneRupiah() {
        String fixed = Db.createFixedCode(500_000, null, null, false);
        String hundredPercent = Db.createPercentCode(100, null, null, false);

        for (String code : List.of(fixed, hundredPercent)) {
            Checkouts.post(Checkouts.key(), Checkouts.body(Checkouts.SEED_PACKAGE, Checkouts.email(), "081234567890", code))
                    .then().statusCode(201)
                    .body("discountAmount", equalTo(98999))
                    .body("amount", equalTo(1));
        }
    }

    @Test
    void aCodeAtItsUseLimitIsRefused() {
        String code = Db.createFixedCode(10_000, null, 1, false);
        Checkouts.create(Checkouts.SEED_PACKAGE, Checkouts.email(), code);
        Map<String, Long> before = Db.tableCounts();

        String key = Checkouts.key();
        Checkouts.post(key, Checkouts.body(Checkouts.SEED_PACKAGE, Checkouts.email(), "081234567890", code))
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://lunas.dev/problems/discount-code-exhausted"));

        assertThat(Db.uses(code)).isEqualTo(1);
        assertThat(Db.count("select count(*) from orders.customer_order where discount_code = ?", code)).isEqualTo(1);
        Map<String, Long> after = Db.tableCounts();
        after.put("idempotency_key", after.get("idempotency_key") - 1);
        assertThat(after).as("only the refusal stored under the key").isEqualTo(before);
    }

    @Test
    void concurrentBuyersNeverExceedTheCodesLimit() throws Exception {
        String code = Db.createPercentCode(20, null, 3, false);

        List<HttpResponse<String>> answers = Concurrently.run(10, i -> () -> Http.checkout(base, Checkouts.key(),
                Checkouts.body(Checkouts.SEED_PACKAGE, Checkouts.email(), "081234567890", code)));

        assertThat(answers).filteredOn(a -> a.statusCode() == 201).hasSize(3);
        assertThat(answers).filteredOn(a -> a.statusCode() != 201).hasSize(7)
                .allSatisfy(a -> assertThat(a.body()).contains("discount-code-exhausted"));
        assertThat(Db.uses(code)).isEqualTo(3);
        assertThat(Db.count("select count(*) from orders.discount_redemption where code = ?", code)).isEqualTo(3);
    }

    @Test
    void aOncePerEmailCodeIsRefusedToTheSameAddressOnly() {
        String code = Db.createPercentCode(15, null, null, true);
        String email = Checkouts.email();
        Checkouts.create(Checkouts.SEED_PACKAGE, email, code);

        Checkouts.post(Checkouts.key(), Checkouts.body(Checkouts.SEED_PACKAGE, email.toUpperCase(), "081234567890", code))
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://lunas.dev/problems/discount-code-already-used"));
        assertThat(Db.uses(code)).isEqualTo(1);

        Checkouts.create(Checkouts.SEED_PACKAGE, Checkouts.email(), code);
        assertThat(Db.uses(code)).isEqualTo(2);
    }

    @Test
    void concurrentCheckoutsOfOneAddressRedeemAOncePerEmailCodeOnce() throws Exception {
        String code = Db.createPercentCode(15, null, null, true);
        String email = Checkouts.email();

        List<HttpResponse<String>> answers = Concurrently.run(8, i -> () -> Http.checkout(base, Checkouts.key(),
                Checkouts.body(Checkouts.SEED_PACKAGE, email, "081234567890", code)));

        assertThat(answers).filteredOn(a -> a.statusCode() == 201).hasSize(1);
        assertThat(answers).filteredOn(a -> a.statusCode() == 409).hasSize(7)
                .allSatisfy(a -> assertThat(a.body()).contains("discount-code-already-used"));
        assertThat(Db.uses(code)).isEqualTo(1);
    }

    @Test
    void aSoldOutRefusalGivesTheDiscountUseBack() {
        String packageId = Db.createPackage("kelas-penuh", 80_000, 0);
        String code = Db.createPercentCode(10, null, 5, true);

        Checkouts.post(Checkouts.key(), Checkouts.body(packageId, Checkouts.email(), "081234567890", code))
                .then().statusCode(409).body("type", equalTo("https://lunas.dev/problems/sold-out"));

        assertThat(Db.uses(code)).isZero();
        assertThat(Db.count("select count(*) from orders.discount_redemption where code = ?", code)).isZero();
    }

    @Test
    void unusableCodesAreRefusedWithoutWritingAnything() {
        String otherPackage = Db.createPackage("kelas-lain", 60_000, null);
        String forOtherPackage = Db.createPercentCode(10, otherPackage, null, false);
        String expired = Db.createWindowedCode(Instant.now().minus(Duration.ofDays(10)), Instant.now().minus(Duration.ofDays(1)));
        String notYetValid = Db.createWindowedCode(Instant.now().plus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(10)));
        String inactive = Db.createPercentCode(10, null, null, false);
        Db.execute("update orders.discount_code set active = false where code = ?", inactive);
        Map<String, Long> before = Db.tableCounts();

        Map<String, String> expected = Map.of(
                "NOSUCHCODE", "unknown-discount-code",
                forOtherPackage, "discount-code-not-applicable",
                expired, "discount-code-not-active",
                notYetValid, "discount-code-not-active",
                inactive, "discount-code-not-active");
        expected.forEach((code, problem) -> Checkouts.post(Checkouts.key(),
                        Checkouts.body(Checkouts.SEED_PACKAGE, Checkouts.email(), "081234567890", code))
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://lunas.dev/problems/" + problem)));

        assertThat(Db.tableCounts()).isEqualTo(before);
        assertThat(PaymentServiceStub.calls(paymentService)).isZero();
    }

    @Test
    void aCodeRestrictedToAPackageWorksForThatPackage() {
        String packageId = Db.createPackage("kelas-khusus", 200_000, null);
        String code = Db.createFixedCode(50_000, packageId, null, false);

        Checkouts.post(Checkouts.key(), Checkouts.body(packageId, Checkouts.email(), "081234567890", code))
                .then().statusCode(201).body("amount", equalTo(150000));
    }
}
