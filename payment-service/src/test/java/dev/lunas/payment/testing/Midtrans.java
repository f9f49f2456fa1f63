package dev.lunas.payment.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.lunas.payment.service.MidtransSignature;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Speaks Midtrans in tests: signed notifications and Get Status answers, Snap and Get Status stubs. */
public final class Midtrans {

    /** Same as %test.lunas.payment.midtrans.server-key. */
    public static final String SERVER_KEY = "SB-Mid-server-test-key";

    private Midtrans() {
    }

    /** A notification body; {@link #json()} signs it with the server key over the exact strings given. */
    public static final class Note {
        private final Map<String, String> fields = new LinkedHashMap<>();
        private String signedAmount;
        private String signedStatusCode;
        private boolean unsigned;
        private String signature;

        private Note(String orderId) {
            fields.put("transaction_time", "2026-11-21 17:00:00");
            fields.put("transaction_id", "9aed5972-5b6a-401e-894b-" + Math.abs(orderId.hashCode()));
            fields.put("status_message", "midtrans payment notification");
            fields.put("payment_type", "bank_transfer");
            fields.put("order_id", orderId);
            fields.put("merchant_id", "G141532850");
            fields.put("currency", "IDR");
        }

        public static Note of(Object orderId) {
            return new Note(orderId.toString());
        }

        /** A settlement as Midtrans sends it: status_code 200, fraud accept, two-decimal amount. */
        public static Note settlement(Object orderId, long amount) {
            return of(orderId).status("settlement", "200").fraud("accept").amount(amount + ".00")
                    .set("settlement_time", "2026-11-21 17:05:00");
        }

        public Note status(String transactionStatus, String statusCode) {
            fields.put("transaction_status", transactionStatus);
            fields.put("status_code", statusCode);
            return this;
        }

        public Note amount(String grossAmount) {
            fields.put("gross_amount", grossAmount);
            return this;
        }

        public Note fraud(String fraudStatus) {
            return set("fraud_status", fraudStatus);
        }

        public Note set(String field, String value) {
            if (value == null) {
                fields.remove(field);
            } else {
                fields.put(field, value);
            }
            return this;
        }

        /** Signs as if these had been the amount and code, then sends the fields as they are: a tampered body. */
        public Note signedAs(String grossAmount, String statusCode) {
            this.signedAmount = grossAmount;
            this.signedStatusCode = statusCode;
            return this;
        }

        public Note withSignature(String givenSignature) {
            this.signature = givenSignature;
            return this;
        }

        public Note unsigned() {
            this.unsigned = true;
            return this;
        }

        public String signature() {
            return MidtransSignature.compute(fields.get("order_id"),
                    signedStatusCode != null ? signedStatusCode : fields.get("status_code"),
                    signedAmount != null ? signedAmount : fields.get("gross_amount"), SERVER_KEY);
        }

        public String json() {
            Map<String, String> body = new LinkedHashMap<>(fields);
            if (!unsigned) {
                body.put("signature_key", signature != null ? signature : signature());
            }
            return body.entrySet().stream()
                    .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                    .collect(Collectors.joining(",", "{", "}"));
        }
    }

    public static MappingBuilder snapFor(UUID orderId) {
        return post(urlEqualTo("/snap/v1/transactions"))
                .withRequestBody(matchingJsonPath("$.transaction_details.order_id", equalTo(orderId.toString())));
    }

    public static ResponseDefinitionBuilder snapCreated(String token) {
        return aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"token\":\"" + token + "\",\"redirect_url\":\"https://app.sandbox.midtrans.com/snap/v4/redirection/"
                        + token + "\"}");
    }

    public static void stubSnap(WireMockServer midtrans, UUID orderId) {
        midtrans.stubFor(snapFor(orderId).willReturn(snapCreated("token-" + orderId)));
    }

    public static MappingBuilder statusOf(UUID orderId) {
        return get(urlEqualTo("/v2/" + orderId + "/status"));
    }

    /** Get Status answering with the given signed note. */
    public static void stubStatus(WireMockServer midtrans, UUID orderId, Note answer) {
        midtrans.stubFor(statusOf(orderId).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(answer.set("status_message", "Success, transaction is found").json())));
    }

    public static void stubStatusNotFound(WireMockServer midtrans, UUID orderId) {
        midtrans.stubFor(statusOf(orderId).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status_code\":\"404\",\"status_message\":\"Transaction doesn't exist.\"}")));
    }

    public static int snapCalls(WireMockServer midtrans, UUID orderId) {
        return midtrans.findAll(postRequestedFor(urlEqualTo("/snap/v1/transactions"))
                .withRequestBody(matchingJsonPath("$.transaction_details.order_id", equalTo(orderId.toString())))).size();
    }
}
