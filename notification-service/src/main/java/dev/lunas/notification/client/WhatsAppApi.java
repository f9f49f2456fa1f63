package dev.lunas.notification.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** The WhatsApp Cloud API's template-message endpoint ({@code POST {base}/{phone-number-id}/messages}). */
@Path("")
public interface WhatsAppApi {

    @POST
    @Path("{phoneNumberId}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> send(@PathParam("phoneNumberId") String phoneNumberId,
                       @HeaderParam("Authorization") String authorization, TemplateMessage message);

    record TemplateMessage(@JsonProperty("messaging_product") String messagingProduct, String to, String type,
                           Template template) {

        static TemplateMessage of(String to, String name, String languageCode, List<Parameter> bodyParameters) {
            return new TemplateMessage("whatsapp", to, "template", new Template(name, new Language(languageCode),
                    List.of(new Component("body", bodyParameters))));
        }
    }

    record Template(String name, Language language, List<Component> components) {
    }

    record Language(String code) {
    }

    record Component(String type, List<Parameter> parameters) {
    }

    record Parameter(String type, String text) {

        static Parameter text(String value) {
            return new Parameter("text", value);
        }
    }
}
