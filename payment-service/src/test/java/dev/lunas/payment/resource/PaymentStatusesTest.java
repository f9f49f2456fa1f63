package dev.lunas.payment.resource;

import static dev.lunas.payment.testing.Api.AMOUNT;
import static dev.lunas.payment.testing.Api.deliver;
import static dev.lunas.payment.testing.Api.paymentStatuses;
import static dev.lunas.payment.testing.Api.pendingPayment;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.payment.testing.Db;
import dev.lunas.payment.testing.InjectMidtrans;
import dev.lunas.payment.testing.Midtrans.Note;
import dev.lunas.payment.testing.MidtransWireMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Contract A: POST /internal/payments/statuses for order-service's expiry job (docs/integration.md). */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(MidtransWireMock.class)
class PaymentStatusesTest {

    @InjectMidtrans
    WireMockServer midtrans;

    @Inject
    CircuitBreakerMaintenance breakers;

    @BeforeEach
    void reset() {
        Db.reset();
        midtrans.resetAll();
        breakers.resetAll();
    }

    @Test
    void contractA_listsTheStatusOfEveryOrderThatHasAnAttemptAndLeavesOutTheOthers() {
        UUID pending = pendingPayment(midtrans);
        UUID settled = pendingPayment(midtrans);
        deliver(Note.settlement(settled, AMOUNT).json()).then().statusCode(200);
        UUID failed = pendingPayment(midtrans);
        Db.update("update payments.payment_attempt set status = 'FAILED' where order_id = ?", failed);
        UUID expired = pendingPayment(midtrans);
        Db.update("update payments.payment_attempt set status = 'EXPIRED' where order_id = ?", expired);
        UUID none = UUID.randomUUID();

        Response answer = paymentStatuses(ids(List.of(pending, settled, failed, expired, none)));

        answer.then().statusCode(200).contentType(ContentType.JSON);
        List<Map<String, String>> payments = answer.jsonPath().getList("payments");
        assertThat(payments.stream().collect(Collectors.toMap(p -> p.get("orderId"), p -> p.get("status")))).isEqualTo(Map.of(
                pending.toString(), "PENDING", settled.toString(), "SETTLED", failed.toString(), "FAILED",
                expired.toString(), "EXPIRED"));
        paymentStatuses(ids(List.of(none))).then().statusCode(200).body("payments.size()", equalTo(0));
    }

    @Test
    void contractA_aHundredIdsAreAnsweredMoreOrMalformedAre400() {
        List<UUID> hundred = IntStream.range(0, 100).mapToObj(i -> UUID.randomUUID()).toList();
        paymentStatuses(ids(hundred)).then().statusCode(200);

        List<UUID> tooMany = IntStream.range(0, 101).mapToObj(i -> UUID.randomUUID()).toList();
        List<UUID> huge = IntStream.range(0, 1_500).mapToObj(i -> UUID.randomUUID()).toList();
        for (String body : List.of(ids(tooMany), ids(huge), "{\"orderIds\":[]}", "{}", "{\"orderIds\":null}",
                "{\"orderIds\":\"" + UUID.randomUUID() + "\"}", "{\"orderIds\":[\"not-a-uuid\"]}", "{\"orderIds\":[1E+300000000]}",
                "{\"orderIds\":[null]}", "{\"orderIds\":[[\"" + UUID.randomUUID() + "\"]]}",
                "{\"orderIds\":[\"" + "a".repeat(60_000) + "\"]}", "not json", "")) {
            Response answer = paymentStatuses(body);
            answer.then().statusCode(400).contentType("application/problem+json");
            assertThat(Duration.ofMillis(answer.time())).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void contractA_needsTheServiceToken() {
        given().contentType(ContentType.JSON).body(ids(List.of(UUID.randomUUID()))).post("/internal/payments/statuses")
                .then().statusCode(401);
    }

    private static String ids(List<UUID> orderIds) {
        return orderIds.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(",", "{\"orderIds\":[", "]}"));
    }
}
