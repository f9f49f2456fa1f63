package dev.lunas.payment.client;

import jakarta.ws.rs.core.Response;

/** Reads the body of a failed Midtrans answer for the exception that reports it. */
final class MidtransResponses {

    private static final int MAX_BODY = 1000;

    private MidtransResponses() {
    }

    static String body(Response response) {
        try {
            String body = response.readEntity(String.class);
            if (body == null) {
                return "";
            }
            return body.length() > MAX_BODY ? body.substring(0, MAX_BODY) : body;
        } catch (RuntimeException e) {
            return "";
        }
    }

    static boolean unavailable(int status) {
        return status >= 500 || status == 429 || status == 408;
    }
}
