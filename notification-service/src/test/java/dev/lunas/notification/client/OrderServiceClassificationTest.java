package dev.lunas.notification.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Defect 4: a payment result dies only of order-service's own refusal, named by its problem type. */
class OrderServiceClassificationTest {

    private static final String PROBLEMS = "https://lunas.dev/problems/";

    @Test
    void defect4_onlyTheContractsProblemTypesArePermanent() {
        assertThat(OrderServiceClient.definitive(404, PROBLEMS + "order-not-found")).isTrue();
        assertThat(OrderServiceClient.definitive(400, PROBLEMS + "invalid-event")).isTrue();
        assertThat(OrderServiceClient.definitive(422, PROBLEMS + "unsupported-event-type")).isTrue();
        assertThat(OrderServiceClient.definitive(422, PROBLEMS + "amount-mismatch")).isTrue();
        assertThat(OrderServiceClient.definitive(422, PROBLEMS + "invalid-signature")).isTrue();
    }

    @Test
    void defect4_aStatusAloneIsNeverPermanent() {
        // a routing 404: an HTML page or plain JSON (no problem type), or a problem without the contract's type
        assertThat(OrderServiceClient.definitive(404, "")).isFalse();
        assertThat(OrderServiceClient.definitive(404, "about:blank")).isFalse();
        assertThat(OrderServiceClient.definitive(404, PROBLEMS + "not-found")).isFalse();
        assertThat(OrderServiceClient.definitive(404, "order-not-found")).isFalse();
        assertThat(OrderServiceClient.definitive(404, PROBLEMS + "order-not-found-yet")).isFalse();
        assertThat(OrderServiceClient.definitive(422, "")).isFalse();
        assertThat(OrderServiceClient.definitive(400, "")).isFalse();
        // the credential is fixed by an operator, and 5xx is never an answer about the event
        assertThat(OrderServiceClient.definitive(401, PROBLEMS + "invalid-signature")).isFalse();
        assertThat(OrderServiceClient.definitive(403, PROBLEMS + "invalid-signature")).isFalse();
        assertThat(OrderServiceClient.definitive(503, PROBLEMS + "order-not-found")).isFalse();
        assertThat(OrderServiceClient.definitive(429, PROBLEMS + "invalid-event")).isFalse();
    }
}
