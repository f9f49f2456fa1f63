package dev.lunas.launcher.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lunas.launcher.http.Http;
import dev.lunas.launcher.http.Json;
import dev.lunas.launcher.http.PortInUseException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailSinkTest {

    private static final Http HTTP = new Http(Duration.ofSeconds(20));

    private static final String SUBJECT = "Selesaikan pembayaran Rp 99.000 — <b>order 42</b>";

    @TempDir
    Path folder;

    private final List<String> events = new CopyOnWriteArrayList<>();
    private Outbox outbox;
    private MailSink sink;
    private OutboxServer page;

    @BeforeEach
    void start() {
        outbox = new Outbox(folder);
        sink = MailSink.start(0, outbox, events::add);
        page = OutboxServer.start(0, outbox, new WhatsAppGateway("token", "1", outbox, events::add));
    }

    @AfterEach
    void stop() {
        page.close();
        sink.close();
    }

    @Test
    void keepsEachMailOnceAsAnEmlFileWhateverTheNumberOfRecipients() throws Exception {
        send("budi@example.com", "ops@lunas.local");

        List<Path> files = files(outbox.mailDirectory());
        assertThat(files).singleElement().satisfies(file -> assertThat(file.getFileName().toString()).endsWith("-budi-example-com.eml"));
        MimeMessage kept;
        try (InputStream in = Files.newInputStream(files.get(0))) {
            kept = new MimeMessage(Session.getInstance(new Properties()), in);
        }
        assertThat(kept.getSubject()).isEqualTo(SUBJECT);
        assertThat(kept.getAllRecipients()).extracting(Object::toString).containsExactly("budi@example.com", "ops@lunas.local");
        assertThat(kept.getHeader("Message-ID")[0]).isEqualTo("<payment-instructions.42@lunas.local>");
        assertThat(outbox.messages()).singleElement().satisfies(message -> {
            assertThat(message.channel()).isEqualTo(Outbox.Channel.EMAIL);
            assertThat(message.title()).isEqualTo(SUBJECT);
            assertThat(message.to()).isEqualTo("budi@example.com, ops@lunas.local");
        });
        assertThat(events).singleElement().asString().contains(SUBJECT);
    }

    @Test
    void aMailSentTwiceIsKeptTwiceSoDuplicatesCanBeCounted() throws Exception {
        send("budi@example.com");
        send("budi@example.com");

        assertThat(files(outbox.mailDirectory())).hasSize(2);
        assertThat(outbox.messages()).hasSize(2);
    }

    @Test
    void thePageListsAndShowsMailWithoutRunningItsHtml() throws Exception {
        send("budi@example.com");
        String id = outbox.messages().get(0).id();

        HttpResponse<String> list = HTTP.get(url("/"));
        HttpResponse<String> shown = HTTP.get(url("/messages/" + id));
        HttpResponse<String> raw = HTTP.get(url("/messages/" + id + "/raw"));
        HttpResponse<String> json = HTTP.get(url("/api/messages"));

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("Selesaikan pembayaran Rp 99.000 — &lt;b&gt;order 42&lt;/b&gt;").doesNotContain("<b>order 42</b>");
        assertThat(shown.body()).contains("Halo Budi, bayar sebelum 11:00 WIB.", "<iframe sandbox srcdoc=\"&lt;p&gt;Halo &lt;b&gt;Budi&lt;/b&gt;");
        assertThat(raw.body()).contains("Subject:", "Message-ID: <payment-instructions.42@lunas.local>");
        JsonNode listed = Json.MAPPER.readTree(json.body());
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("channel").asText()).isEqualTo("EMAIL");
        assertThat(listed.get(0).path("title").asText()).isEqualTo(SUBJECT);
        assertThat(HTTP.get(url("/messages/../../etc/passwd")).statusCode()).isEqualTo(404);
        assertThat(HTTP.get(url("/messages/20261121T000000.000Z-000001-nothing")).statusCode()).isEqualTo(404);
    }

    @Test
    void forMeasurementsItHoldsEachAnswerBackReportsTheMailAndKeepsNothing() throws Exception {
        List<MailSink.Accepted> accepted = new CopyOnWriteArrayList<>();
        Duration latency = Duration.ofMillis(300);
        try (MailSink measuring = MailSink.start(0, outbox, events::add, new MailSink.Options(latency, false, accepted::add))) {
            long before = System.nanoTime();
            send(measuring.port(), "budi@example.com", "ops@lunas.local");
            Duration sending = Duration.ofNanos(System.nanoTime() - before);

            assertThat(sending).as("the client waited for the held-back answer, once per mail").isBetween(latency, latency.multipliedBy(2));
        }
        assertThat(accepted).singleElement().satisfies(mail -> {
            assertThat(mail.messageId()).isEqualTo("<payment-instructions.42@lunas.local>");
            assertThat(mail.subject()).isEqualTo(SUBJECT);
            assertThat(mail.recipients()).containsExactlyInAnyOrder("budi@example.com", "ops@lunas.local");
        });
        assertThat(files(outbox.mailDirectory())).isEmpty();
        assertThat(events).isEmpty();
    }

    @Test
    void eachConnectionWaitsOutTheLatencyOnItsOwn() throws Exception {
        Duration latency = Duration.ofMillis(400);
        int senders = 4;
        List<MailSink.Accepted> accepted = new CopyOnWriteArrayList<>();
        try (MailSink measuring = MailSink.start(0, outbox, events::add, new MailSink.Options(latency, false, accepted::add))) {
            ExecutorService threads = Executors.newFixedThreadPool(senders);
            try {
                long before = System.nanoTime();
                List<Future<?>> sent = new ArrayList<>();
                for (int i = 0; i < senders; i++) {
                    sent.add(threads.submit(() -> {
                        send(measuring.port(), "budi@example.com");
                        return null;
                    }));
                }
                for (Future<?> mail : sent) {
                    mail.get(30, TimeUnit.SECONDS);
                }
                Duration all = Duration.ofNanos(System.nanoTime() - before);

                assertThat(all).as("one after the other would take " + latency.multipliedBy(senders).toMillis() + " ms")
                        .isLessThan(latency.multipliedBy(senders - 1));
            } finally {
                threads.shutdownNow();
            }
        }
        assertThat(accepted).hasSize(senders);
    }

    @Test
    void aTakenPortIsReportedAsSuch() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> MailSink.start(taken.getLocalPort(), outbox, events::add))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));
        }
    }

    private void send(String... recipients) throws MessagingException {
        send(sink.port(), recipients);
    }

    private static void send(int port, String... recipients) throws MessagingException {
        Properties smtp = new Properties();
        smtp.put("mail.smtp.host", "localhost");
        smtp.put("mail.smtp.port", String.valueOf(port));
        MimeMessage mail = new MimeMessage(Session.getInstance(smtp)) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", "<payment-instructions.42@lunas.local>");
            }
        };
        mail.setFrom(new InternetAddress("no-reply@lunas.local", false));
        for (String recipient : recipients) {
            mail.addRecipient(Message.RecipientType.TO, new InternetAddress(recipient));
        }
        mail.setSubject(SUBJECT, "UTF-8");
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText("Halo Budi, bayar sebelum 11:00 WIB.", "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setContent("<p>Halo <b>Budi</b></p><script>alert(1)</script>", "text/html; charset=UTF-8");
        mail.setContent(new MimeMultipart("alternative", plain, html));
        Transport.send(mail);
    }

    private URI url(String path) {
        return URI.create("http://localhost:" + page.port() + path);
    }

    private static List<Path> files(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }
}
