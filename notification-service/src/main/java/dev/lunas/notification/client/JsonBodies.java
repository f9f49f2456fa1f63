package dev.lunas.notification.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import java.io.IOException;

/** Reads a peer's answer as JSON when it is JSON; an empty object otherwise (an HTML error page, nothing). */
final class JsonBodies {

    private JsonBodies() {
    }

    static JsonNode read(ObjectMapper json, Response response) {
        if (!response.hasEntity()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(response.readEntity(String.class));
        } catch (IOException | RuntimeException e) {
            return json.createObjectNode();
        }
    }
}
