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
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(PaymentServiceStub.class)
class QuotaTest {

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
    void aQuotaOfTenIsNeverOversoldToAHundredConcurrentBuyers() throws Exception {
        String packageId = Db.createPackage("kelas-kilat", 250_000, 10);
        List<String> keys = IntStream.range(0, 100).mapToObj(i -> Checkouts.key()).toList();
        List<String> bodies = keys.stream().map(key -> Checkouts.body(packageId, Checkouts.email())).toList();

        List<HttpResponse<String>> answers = Concurrently.run(100, i -> () -> Http.checkout(base, keys.get(i), bodies.get(i)));

        assertThat(answers).filteredOn(a -> a.statusCode() == 201).hasSize(10);
        List<HttpResponse<String>> refused = answers.stream().filter(a -> a.statusCode() != 201).toList();
        assertThat(refused).hasSize(90).allSatisfy(answer -> {
            assertThat(answer.statusCode()).isEqualTo(409);
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(answer.body()).contains("https://lunas.dev/problems/sold-out");
        });
        assertThat(Db.count("select count(*) from orders.customer_order where package_id = ?", packageId)).isEqualTo(10);
        assertThat(Db.reserved(packageId)).isEqualTo(10);

        int soldOut = answers.indexOf(refused.get(0));
        Response replay = Checkouts.post(keys.get(soldOut), bodies.get(soldOut));
        replay.then().statusCode(409).header("Idempotent-Replayed", "true");
        assertThat(replay.asString()).isEqualTo(refused.get(0).body());
        assertThat(Db.count("select count(*) from orders.customer_order where package_id = ?", packageId)).isEqualTo(10);
    }

    @Test
    void aSoldOutPackageIsRefusedAndTheRefusalIsStoredUnderTheKey() {
        String packageId = Db.createPackage("kelas-habis", 50_000, 0);
        String key = Checkouts.key();
        String body = Checkouts.body(packageId, Checkouts.email());

        Response first = Checkouts.post(key, body);

        first.then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://lunas.dev/problems/sold-out"))
                .body("instance", equalTo("/api/orders"));
        Map<String, Object> stored = Db.row("select recovery_point, response_status, order_id from orders.idempotency_key"
                + " where idempotency_key = ?", key);
        assertThat(stored).containsEntry("recovery_point", "FINISHED").containsEntry("response_status", 409)
                .containsEntry("order_id", null);
        assertThat(Db.count("select count(*) from orders.customer_order where package_id = ?", packageId)).isZero();
        assertThat(PaymentServiceStub.calls(paymentService)).isZero();
    }
}
