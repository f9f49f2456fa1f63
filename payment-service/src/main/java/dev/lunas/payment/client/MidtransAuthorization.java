package dev.lunas.payment.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Midtrans server-to-server auth: {@code Basic base64(serverKey + ":")} (docs/midtrans.md §e). */
final class MidtransAuthorization {

    private MidtransAuthorization() {
    }

    static String basic(String serverKey) {
        return "Basic " + Base64.getEncoder().encodeToString((serverKey + ":").getBytes(StandardCharsets.UTF_8));
    }
}
