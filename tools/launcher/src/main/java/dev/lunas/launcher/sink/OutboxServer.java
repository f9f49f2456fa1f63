package dev.lunas.launcher.sink;

import static dev.lunas.launcher.http.Html.escape;

import dev.lunas.launcher.http.Exchange;
import dev.lunas.launcher.http.Html;
import dev.lunas.launcher.http.LocalHttpServer;
import dev.lunas.launcher.http.Router;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The local messages page (mail and WhatsApp, newest first, refreshing itself) and its JSON twin
 * {@code GET /api/messages}; it also hosts the fake WhatsApp Cloud API, whose base URL is this server's.
 */
public final class OutboxServer implements AutoCloseable {

    private static final int PAGE_SIZE = 200;
    private static final String ID = "([0-9A-Za-z.-]+)";

    /** A message as {@code /api/messages} lists it. */
    public record Listed(String id, String channel, String receivedAt, String to, String title, List<String> lines,
                         String file) {
        static Listed of(Outbox.Message message) {
            return new Listed(message.id(), message.channel().name(), message.receivedAt(), message.to(), message.title(),
                    message.lines(), message.file().toString());
        }
    }

    private final Outbox outbox;
    private final WhatsAppGateway whatsApp;
    private final LocalHttpServer server;

    private OutboxServer(int port, Outbox outbox, WhatsAppGateway whatsApp) {
        this.outbox = outbox;
        this.whatsApp = whatsApp;
        this.server = LocalHttpServer.start("messages page", port, new Router(OutboxServer::refuse)
                .get("/", this::list)
                .get("/api/messages", this::listJson)
                .get("/messages/" + ID, this::show)
                .get("/messages/" + ID + "/raw", this::raw)
                .post("(?:/[^/]+)*?/([^/]+)/messages", exchange -> this.whatsApp.send(exchange, exchange.pathParam(1))));
    }

    /** Serves the page and the WhatsApp API on the loopback interface (port 0 picks a free one). */
    public static OutboxServer start(int port, Outbox outbox, WhatsAppGateway whatsApp) {
        return new OutboxServer(port, outbox, whatsApp);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }

    private static void refuse(Exchange exchange, int status, String reason) throws IOException {
        if (exchange.path().endsWith("/messages") && !"GET".equals(exchange.method())) {
            exchange.json(status, WhatsAppGateway.error("(#" + status + ") " + reason, "OAuthException", 100, null));
        } else {
            exchange.html(status, Html.page("Not here", "<p>" + escape(reason) + "</p><p><a href=\"/\">All messages</a></p>"));
        }
    }

    private void list(Exchange exchange) throws IOException {
        List<Outbox.Message> messages = outbox.messages(PAGE_SIZE);
        StringBuilder body = new StringBuilder("<h1>Messages sent by Lunas</h1>");
        body.append("<p class=\"muted\">Mail caught by the SMTP sink and WhatsApp messages sent to the fake Cloud API;"
                        + " files in ").append(escape(outbox.mailDirectory().getParent().toString()))
                .append(". This page refreshes itself. JSON: <a href=\"/api/messages\">/api/messages</a></p>");
        if (messages.isEmpty()) {
            body.append("<p>Nothing yet.</p>");
        } else {
            body.append("<table><tr><th>Received (UTC)</th><th>Channel</th><th>To</th><th>Subject / template</th></tr>");
            for (Outbox.Message message : messages) {
                body.append("<tr><td>").append(escape(message.receivedAt().replace('T', ' ').replace("Z", "")))
                        .append("</td><td>").append(message.channel() == Outbox.Channel.EMAIL ? "Email" : "WhatsApp")
                        .append("</td><td>").append(escape(message.to()))
                        .append("</td><td><a href=\"/messages/").append(escape(message.id())).append("\">")
                        .append(escape(message.title().isBlank() ? "(no subject)" : message.title())).append("</a>");
                if (!message.lines().isEmpty()) {
                    body.append("<br><span class=\"muted\">").append(escape(String.join(" · ", message.lines()))).append("</span>");
                }
                body.append("</td></tr>");
            }
            body.append("</table>");
        }
        exchange.html(200, Html.refreshingPage("Lunas messages", body.toString(), 5));
    }

    private void listJson(Exchange exchange) throws IOException {
        int limit;
        try {
            limit = Integer.parseInt(exchange.query().getOrDefault("limit", String.valueOf(PAGE_SIZE)));
        } catch (NumberFormatException e) {
            exchange.json(400, Map.of("error", "limit must be a whole number"));
            return;
        }
        exchange.json(200, outbox.messages(Math.max(0, limit)).stream().map(Listed::of).toList());
    }

    private void show(Exchange exchange) throws IOException {
        Optional<Outbox.Message> found = outbox.find(exchange.pathParam(1));
        if (found.isEmpty()) {
            refuse(exchange, 404, "No such message");
            return;
        }
        Outbox.Message message = found.get();
        StringBuilder body = new StringBuilder("<p><a href=\"/\">← all messages</a></p>");
        if (message.channel() == Outbox.Channel.WHATSAPP) {
            body.append("<h1>WhatsApp to ").append(escape(message.to())).append("</h1>")
                    .append("<div class=\"box\"><p>Template <strong>").append(escape(message.title())).append("</strong></p>");
            for (String line : message.lines()) {
                body.append("<p>").append(escape(line)).append("</p>");
            }
            body.append("</div><h2>As received</h2><pre>").append(escape(Files.readString(message.file()))).append("</pre>");
        } else {
            body.append(mailView(message));
        }
        body.append("<p class=\"muted\">File: ").append(escape(message.file().toString()))
                .append(" · <a href=\"/messages/").append(escape(message.id())).append("/raw\">raw</a></p>");
        exchange.html(200, Html.page(message.title(), body.toString()));
    }

    private void raw(Exchange exchange) throws IOException {
        Optional<Outbox.Message> found = outbox.find(exchange.pathParam(1));
        if (found.isEmpty()) {
            refuse(exchange, 404, "No such message");
            return;
        }
        exchange.send(200, "text/plain; charset=utf-8", Files.readAllBytes(found.get().file()));
    }

    private static String mailView(Outbox.Message message) throws IOException {
        try (InputStream in = Files.newInputStream(message.file())) {
            MimeMessage mail = new MimeMessage(Session.getInstance(new Properties()), in);
            StringBuilder view = new StringBuilder("<h1>").append(escape(mail.getSubject())).append("</h1><table>");
            for (String header : List.of("From", "To", "Date", "Message-ID")) {
                String value = mail.getHeader(header, ", ");
                if (value != null) {
                    view.append("<tr><th>").append(header).append("</th><td>").append(escape(value)).append("</td></tr>");
                }
            }
            view.append("</table>");
            MailText text = MailText.of(mail);
            if (text.html() != null) {
                // sandboxed without scripts: the mail's HTML is shown, never run
                view.append("<h2>HTML</h2><iframe sandbox srcdoc=\"").append(escape(text.html())).append("\"></iframe>");
            }
            if (text.plain() != null) {
                view.append("<h2>Plain text</h2><pre>").append(escape(text.plain())).append("</pre>");
            }
            return view.toString();
        } catch (MessagingException e) {
            return "<h1>Unreadable mail</h1><p>" + escape(e.getMessage()) + "</p>";
        }
    }
}
