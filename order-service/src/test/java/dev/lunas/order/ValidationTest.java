package dev.lunas.order;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.lunas.common.testing.EmbeddedPostgresResource;
import dev.lunas.order.testing.Checkouts;
import dev.lunas.order.testing.Db;
import dev.lunas.order.testing.InjectPaymentService;
import dev.lunas.order.testing.PaymentServiceStub;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every invalid field gets a clear 4xx problem+json, and nothing is written anywhere. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(PaymentServiceStub.class)
class ValidationTest {

    private static final String VALID_CUSTOMER = "{\"name\":\"Budi Santoso\",\"email\":\"budi@example.com\",\"phone\":\"081234567890\"}";

    @InjectPaymentService
    WireMockServer paymentService;

    @Inject
    CircuitBreakerMaintenance breakers;

    private Map<String, Long> before;

    @BeforeEach
    void countRows() {
        breakers.resetAll();
        paymentService.resetAll();
        PaymentServiceStub.issueTokens(paymentService);
        before = Db.tableCounts();
    }

    static Stream<Arguments> invalidFields() {
        return Stream.of(
                Arguments.of("packageId", "{\"customer\":" + VALID_CUSTOMER + "}"),
                Arguments.of("packageId", body("\"\"", VALID_CUSTOMER, null)),
                Arguments.of("packageId", body("\"AI Movie Course!\"", VALID_CUSTOMER, null)),
                Arguments.of("packageId", body("\"" + "a".repeat(65) + "\"", VALID_CUSTOMER, null)),
                Arguments.of("customer", body("\"ai-movie-course\"", null, null)),
                Arguments.of("customer.name", body("\"ai-movie-course\"", customer(null, "budi@example.com", "081234567890"), null)),
                Arguments.of("customer.name", body("\"ai-movie-course\"", customer("\"B\"", "budi@example.com", "081234567890"), null)),
                Arguments.of("customer.name", body("\"ai-movie-course\"", customer("\"   \"", "budi@example.com", "081234567890"), null)),
                Arguments.of("customer.name", body("\"ai-movie-course\"", customer("\"" + "B".repeat(101) + "\"", "budi@example.com", "081234567890"), null)),
                Arguments.of("customer.name", body("\"ai-movie-course\"", customer("\"Budi\\u0000Santoso\"", "budi@example.com", "081234567890"), null)),
                Arguments.of("customer.email", body("\"ai-movie-course\"", customer("\"Budi\"", null, "081234567890"), null)),
                Arguments.of("customer.email", body("\"ai-movie-course\"", customer("\"Budi\"", "not-an-email", "081234567890"), null)),
                Arguments.of("customer.email", body("\"ai-movie-course\"", customer("\"Budi\"", "budi@localhost", "081234567890"), null)),
                Arguments.of("customer.email", body("\"ai-movie-course\"", customer("\"Budi\"", "budi santoso@example.com", "081234567890"), null)),
                Arguments.of("customer.email", body("\"ai-movie-course\"", customer("\"Budi\"", "a".repeat(250) + "@example.com", "081234567890"), null)),
                Arguments.of("customer.phone", body("\"ai-movie-course\"", customer("\"Budi\"", "budi@example.com", null), null)),
                Arguments.of("customer.phone", body("\"ai-movie-course\"", customer("\"Budi\"", "budi@example.com", "021-555-1234"), null)),
                Arguments.of("customer.phone", body("\"ai-movie-course\"", customer("\"Budi\"", "budi@example.com", "0812"), null)),
                Arguments.of("customer.phone", body("\"ai-movie-course\"", customer("\"Budi\"", "budi@example.com", "0812345678901234"), null)),
                Arguments.of("customer.phone", body("\"ai-movie-course\"", customer("\"Budi\"", "budi@example.com", "+1 415 555 0100"), null)),
                Arguments.of("customer.phone", body("\"ai-movie-course\"", customer("\"Budi\"", "budi@example.com", "0812-3456-789O"), null)),
                Arguments.of("discountCode", body("\"ai-movie-course\"", VALID_CUSTOMER, "\"HEMAT 10\"")),
                Arguments.of("discountCode", body("\"ai-movie-course\"", VALID_CUSTOMER, "\"" + "X".repeat(33) + "\"")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalidFields")
    void anInvalidFieldIsRefusedWithoutWritingAnything(String field, String body) {
        Checkouts.post(Checkouts.key(), body)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://lunas.dev/problems/validation-failed"))
                .body("errors.field", hasItem(field));

        assertNothingWritten();
    }

    static Stream<Arguments> unreadableBodies() {
        return Stream.of(
                Arguments.of(""),
                Arguments.of("null"),
                Arguments.of("{\"packageId\": "),
                Arguments.of("[1, 2, 3]"),
                Arguments.of("{\"packageId\":\"ai-movie-course\",\"customer\":\"Budi\"}"),
                Arguments.of("{\"packageId\":{\"id\":1},\"customer\":" + VALID_CUSTOMER + "}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadableBodies")
    void aBodyThatIsNoCheckoutIsRefusedWithoutWritingAnything(String body) {
        Checkouts.post(Checkouts.key(), body)
                .then().statusCode(400)
                .contentType("application/problem+json");

        assertNothingWritten();
    }

    @Test
    void anUnknownPackageIsRefusedWithoutKeepingTheKey() {
        String key = Checkouts.key();
        Checkouts.post(key, body("\"no-such-course\"", VALID_CUSTOMER, null))
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://lunas.dev/problems/unknown-package"));

        assertNothingWritten();
        Checkouts.post(key, Checkouts.body(Checkouts.SEED_PACKAGE, Checkouts.email())).then().statusCode(201);
    }

    @Test
    void anInactivePackageCannotBeBought() {
        String retired = Db.createPackage("kelas-pensiun", 10_000, null);
        Db.execute("update orders.package set active = false where id = ?", retired);
        before = Db.tableCounts();

        Checkouts.post(Checkouts.key(), Checkouts.body(retired, Checkouts.email()))
                .then().statusCode(422).body("type", equalTo("https://lunas.dev/problems/unknown-package"));

        assertNothingWritten();
    }

    @Test
    void aWrongMediaTypeOrAnOversizedBodyIsRefused() {
        given().contentType("text/plain").header("Idempotency-Key", Checkouts.key()).body("hello")
                .post("/api/orders").then().statusCode(415).contentType("application/problem+json");
        String huge = body("\"ai-movie-course\"", customer("\"" + "B".repeat(70_000) + "\"", "budi@example.com", "081234567890"), null);
        Checkouts.post(Checkouts.key(), huge).then().statusCode(413).contentType("application/problem+json");

        assertNothingWritten();
    }

    @Test
    void clientsCannotSetPricesOrStatus() {
        String body = "{\"packageId\":\"ai-movie-course\",\"customer\":" + VALID_CUSTOMER.replace("budi@", "budi+" + System.nanoTime() + "@")
                + ",\"price\":1,\"amount\":1,\"discountAmount\":98999,\"status\":\"PAID\"}";

        Checkouts.post(Checkouts.key(), body).then().statusCode(201)
                .body("amount", equalTo(99000))
                .body("status", equalTo("PENDING_PAYMENT"));
    }

    private void assertNothingWritten() {
        assertThat(Db.tableCounts()).isEqualTo(before);
        assertThat(PaymentServiceStub.calls(paymentService)).isZero();
    }

    private static String customer(String name, String email, String phone) {
        StringBuilder json = new StringBuilder("{");
        if (name != null) {
            json.append("\"name\":").append(name).append(',');
        }
        if (email != null) {
            json.append("\"email\":\"").append(email).append("\",");
        }
        if (phone != null) {
            json.append("\"phone\":\"").append(phone).append("\",");
        }
        if (json.charAt(json.length() - 1) == ',') {
            json.setLength(json.length() - 1);
        }
        return json.append('}').toString();
    }

    private static String body(String packageId, String customer, String discountCode) {
        StringBuilder json = new StringBuilder("{\"packageId\":").append(packageId);
        if (customer != null) {
            json.append(",\"customer\":").append(customer);
        }
        if (discountCode != null) {
            json.append(",\"discountCode\":").append(discountCode);
        }
        return json.append('}').toString();
    }
}
