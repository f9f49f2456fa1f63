package dev.lunas.launcher.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lunas.launcher.http.Json;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.UnsupportedEncodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The messages the local sinks caught, kept as files a person can open: mail as {@code mail/*.eml}, WhatsApp
 * messages as {@code whatsapp/*.json}. The folder is the only record, so what the viewer shows is exactly
 * what is on disk. File names start with the time of arrival, so they sort chronologically.
 */
public final class Outbox {

    public enum Channel { EMAIL, WHATSAPP }

    /**
     * One caught message.
     *
     * @param id    the file name without extension; stable, URL-safe
     * @param title the mail's subject, or the WhatsApp template name
     * @param lines for WhatsApp, the template's parameters in order; for mail, empty (read the file)
     */
    public record Message(String id, Channel channel, String receivedAt, String to, String title, List<String> lines,
                          Path file) {
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final Pattern ID = Pattern.compile("[0-9]{8}T[0-9]{6}\\.[0-9]{3}Z-[0-9]{6}-[a-z0-9-]{1,40}");

    private final Path mailDirectory;
    private final Path whatsAppDirectory;
    private final Clock clock;
    private final AtomicInteger sequence = new AtomicInteger();

    public Outbox(Path root) {
        this(root, Clock.systemUTC());
    }

    Outbox(Path root, Clock clock) {
        this.mailDirectory = root.resolve("mail");
        this.whatsAppDirectory = root.resolve("whatsapp");
        this.clock = clock;
        try {
            Files.createDirectories(mailDirectory);
            Files.createDirectories(whatsAppDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the outbox folders under " + root, e);
        }
    }

    public Path mailDirectory() {
        return mailDirectory;
    }

    public Path whatsAppDirectory() {
        return whatsAppDirectory;
    }

    Path storeMail(byte[] rfc822, String recipient) {
        return write(mailDirectory, recipient, ".eml", rfc822);
    }

    Path storeWhatsApp(ObjectNode record, String recipient) {
        return write(whatsAppDirectory, recipient, ".json", Json.pretty(record).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private Path write(Path directory, String recipient, String extension, byte[] content) {
        String name = STAMP.format(clock.instant()) + "-" + String.format(Locale.ROOT, "%06d", sequence.incrementAndGet() % 1_000_000)
                + "-" + slug(recipient) + extension;
        Path file = directory.resolve(name);
        try {
            Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /** Every message, newest first. */
    public List<Message> messages() {
        return messages(Integer.MAX_VALUE);
    }

    /** The newest {@code limit} messages, newest first; only those files are read. */
    public List<Message> messages(int limit) {
        List<Path> files = new ArrayList<>();
        files.addAll(list(mailDirectory, ".eml"));
        files.addAll(list(whatsAppDirectory, ".json"));
        files.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        return files.stream().limit(limit).map(Outbox::read).flatMap(Optional::stream).toList();
    }

    public Optional<Message> find(String id) {
        if (!ID.matcher(id).matches()) {
            return Optional.empty();
        }
        Path mail = mailDirectory.resolve(id + ".eml");
        if (Files.isRegularFile(mail)) {
            return read(mail);
        }
        Path whatsApp = whatsAppDirectory.resolve(id + ".json");
        return Files.isRegularFile(whatsApp) ? read(whatsApp) : Optional.empty();
    }

    private static List<Path> list(Path directory, String extension) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(extension)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + directory, e);
        }
    }

    /** Empty for a file that is not one of ours or vanished meanwhile: the viewer skips it. */
    private static Optional<Message> read(Path file) {
        String name = file.getFileName().toString();
        String id = name.substring(0, name.lastIndexOf('.'));
        if (!ID.matcher(id).matches()) {
            return Optional.empty();
        }
        try {
            String receivedAt = Instant.from(STAMP.parse(id.substring(0, id.indexOf('Z') + 1))).toString();
            if (name.endsWith(".eml")) {
                InternetHeaders headers;
                try (InputStream in = Files.newInputStream(file)) {
                    headers = new InternetHeaders(in);
                }
                return Optional.of(new Message(id, Channel.EMAIL, receivedAt, decoded(headers.getHeader("To", ", ")),
                        decoded(headers.getHeader("Subject", " ")), List.of(), file));
            }
            JsonNode record = Json.MAPPER.readTree(file.toFile());
            List<String> lines = new ArrayList<>();
            record.path("text").forEach(line -> lines.add(line.asText()));
            return Optional.of(new Message(id, Channel.WHATSAPP, receivedAt, record.path("to").asText(),
                    record.path("template").asText(record.path("type").asText()), lines, file));
        } catch (IOException | MessagingException e) {
            return Optional.empty();
        }
    }

    private static String decoded(String header) {
        if (header == null) {
            return "";
        }
        try {
            return MimeUtility.decodeText(MimeUtility.unfold(header));
        } catch (UnsupportedEncodingException e) {
            return header;
        }
    }

    private static String slug(String recipient) {
        String slug = recipient == null ? "" : recipient.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        if (slug.isEmpty()) {
            return "unknown";
        }
        return slug.length() > 40 ? slug.substring(0, 40) : slug;
    }
}
