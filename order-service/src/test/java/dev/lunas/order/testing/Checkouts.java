package dev.lunas.order.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.UUID;

/** Checkout requests as the storefront sends them. */
public final class Checkouts {

    public static final String SEED_PACKAGE = "ai-movie-course";

    private Checkouts() {
    }

    public static String body(String packageId, String email, String phone, String discountCode) {
        return "{\"packageId\":\"" + packageId + "\",\"customer\":{\"name\":\"Budi Santoso\",\"email\":\"" + email
                + "\",\"phone\":\"" + phone + "\"}" + (discountCode == null ? "" : ",\"discountCode\":\"" + discountCode + "\"")
                + "}";
    }

    public static String body(String packageId, String email) {
        return body(packageId, email, "0812-3456-7890", null);
    }

    public static String email() {
        return "budi+" + UUID.randomUUID() + "@example.com";
    }

    public static String key() {
        return UUID.randomUUID().toString();
    }

    public static Response post(String key, String body) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .when().post("/api/orders");
    }

    /** A fresh order for the package; fails unless it is created. */
    public static UUID create(String packageId) {
        return create(packageId, email(), null);
    }

    public static UUID create(String packageId, String email, String discountCode) {
        Response response = post(key(), body(packageId, email, "0812-3456-7890", discountCode));
        if (response.statusCode() != 201) {
            throw new AssertionError("checkout failed: " + response.statusCode() + " " + response.asString());
        }
        return UUID.fromString(response.jsonPath().getString("orderId"));
    }
}
