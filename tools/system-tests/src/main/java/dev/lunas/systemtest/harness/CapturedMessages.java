package dev.lunas.systemtest.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lunas.launcher.sink.MailText;
import dev.lunas.launcher.sink.Outbox;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the local sinks caught (the launcher's {@link Outbox} folder), read back as the customer would see
 * it: each mail with its headers and both parts, each WhatsApp template message with its parameters. A file
 * still being written is left out until it is complete. A file once read completely is never read again (the
 * sinks never change one), so counting tens of thousands of messages over and over stays cheap.
 */
public final class CapturedMessages {

    /** notification-service's Message-ID: {@code <event id>.<template>@<sender domain>}. */
    private static final Pattern MESSAGE_ID = Pattern.compile("<([0-9a-fA-F-]{36})\\.([a-z-]+)@[^>]+>");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One mail as delivered to the SMTP sink. */
    public record Email(String id, Instant receivedAt, String to, String subject, String messageId, String text,
                        String html) {

        /** The outbox event this mail was made for, from its Message-ID. */
        public Optional<UUID> eventId() {
            Matcher matcher = MESSAGE_ID.matcher(messageId == null ? "" : messageId);
            return matcher.matches() ? Optional.of(UUID.fromString(matcher.group(1))) : Optional.empty();
        }

        /** The template it was rendered from, from its Message-ID. */
        public Optional<String> template() {
            Matcher matcher = MESSAGE_ID.matcher(messageId == null ? "" : messageId);
            return matcher.matches() ? Optional.of(matcher.group(2)) : Optional.empty();
        }
    }

    /**
     * One WhatsApp Cloud API template message as the fake gateway accepted it.
     *
     * @param to         the recipient as sent: international format without "+"
     * @param template   the approved template's name
     * @param parameters the body parameters {{1}}, {{2}}, … in order
     */
    public record WhatsApp(String id, Instant receivedAt, String to, String template, List<String> parameters) {
    }

    /** What a mail without a Message-ID of notification-service's shape counts as. */
    public static final String FOREIGN_MAIL = "(no Lunas Message-ID)";

    /** One mail the sink caught: its {@code <event id>.<template>} (or {@link #FOREIGN_MAIL}) and when it arrived. */
    public record CaughtMail(String key, Instant receivedAt) {
    }

    private static final DateTimeFormatter FILE_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Outbox outbox;
    private final Map<String, CaughtMail> mailsRead = new ConcurrentHashMap<>();
    private final Map<String, WhatsApp> whatsAppsRead = new ConcurrentHashMap<>();

    CapturedMessages(Outbox outbox) {
        this.outbox = outbox;
    }

    /**
     * {@code <event id>.<template>} of every mail caught so far, once per mail (a mail caught twice is in the
     * list twice), from the Message-ID header alone; {@link #FOREIGN_MAIL} for a mail that has no Message-ID
     * notification-service would write.
     */
    public List<String> mailKeys() {
        return caughtMails().stream().map(CaughtMail::key).toList();
    }

    /** Every mail caught so far with its key and arrival time (from its file name), in no particular order. */
    public List<CaughtMail> caughtMails() {
        List<CaughtMail> mails = new ArrayList<>();
        for (Path file : files(outbox.mailDirectory(), ".eml")) {
            String name = file.getFileName().toString();
            CaughtMail mail = mailsRead.get(name);
            if (mail == null) {
                Optional<String> key = readMailKey(file);
                if (key.isEmpty()) {
                    continue;
                }
                mail = new CaughtMail(key.get(), Instant.from(FILE_STAMP.parse(name.substring(0, name.indexOf('Z') + 1))));
                mailsRead.put(name, mail);
            }
            mails.add(mail);
        }
        return mails;
    }

    /** Every mail caught so far, oldest first. */
    public List<Email> emails() {
        List<Email> emails = new ArrayList<>();
        for (Outbox.Message message : outbox.messages()) {
            if (message.channel() == Outbox.Channel.EMAIL) {
                readEmail(message).ifPresent(emails::add);
            }
        }
        emails.sort(Comparator.comparing(Email::id));
        return emails;
    }

    /** Every WhatsApp message caught so far, oldest first. */
    public List<WhatsApp> whatsApps() {
        List<WhatsApp> messages = new ArrayList<>();
        for (Path file : files(outbox.whatsAppDirectory(), ".json")) {
            String id = idOf(file);
            WhatsApp known = whatsAppsRead.get(id);
            if (known == null) {
                Optional<WhatsApp> read = readWhatsApp(id, file);
                if (read.isEmpty()) {
                    continue;
                }
                known = read.get();
                whatsAppsRead.put(id, known);
            }
            messages.add(known);
        }
        messages.sort(Comparator.comparing(WhatsApp::id));
        return messages;
    }

    public List<Email> emailsTo(String address) {
        return emails().stream().filter(mail -> mail.to().equalsIgnoreCase(address)).toList();
    }

    /** @param phone E.164, with or without the "+" */
    public List<WhatsApp> whatsAppsTo(String phone) {
        String digits = phone.startsWith("+") ? phone.substring(1) : phone;
        return whatsApps().stream().filter(message -> message.to().equals(digits)).toList();
    }

    private static Optional<Email> readEmail(Outbox.Message message) {
        try (InputStream in = Files.newInputStream(message.file())) {
            MimeMessage mail = new MimeMessage(Session.getInstance(new Properties()), in);
            MailText parts = MailText.of(mail);
            if (parts.plain() == null && parts.html() == null) {
                return Optional.empty();
            }
            // Lunas's own mails have both parts; another sender's (Alertmanager's) may have only one
            return Optional.of(new Email(message.id(), Instant.parse(message.receivedAt()), message.to(),
                    mail.getSubject(), mail.getMessageID(), Objects.requireNonNullElse(parts.plain(), ""),
                    Objects.requireNonNullElse(parts.html(), "")));
        } catch (IOException | MessagingException e) {
            return Optional.empty();
        }
    }

    private static Optional<WhatsApp> readWhatsApp(String id, Path file) {
        try {
            JsonNode record = JSON.readTree(file.toFile());
            List<String> parameters = new ArrayList<>();
            for (JsonNode component : record.path("request").path("template").path("components")) {
                if ("body".equals(component.path("type").asText())) {
                    component.path("parameters").forEach(parameter -> parameters.add(parameter.path("text").asText()));
                }
            }
            return Optional.of(new WhatsApp(id, Instant.parse(record.path("received_at").asText()), record.path("to").asText(),
                    record.path("template").asText(), List.copyOf(parameters)));
        } catch (IOException | RuntimeException e) {
            // not complete yet
            return Optional.empty();
        }
    }

    /** The key of a mail from its header block; empty while the file is not complete enough to have one. */
    private static Optional<String> readMailKey(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            StringBuilder header = new StringBuilder();
            String messageId = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isEmpty() && Character.isWhitespace(line.charAt(0))) {
                    header.append(' ').append(line.trim());
                    continue;
                }
                messageId = messageId != null ? messageId : messageIdOf(header.toString());
                if (line.isEmpty()) {
                    Matcher matcher = MESSAGE_ID.matcher(messageId == null ? "" : messageId);
                    return Optional.of(matcher.matches()
                            ? UUID.fromString(matcher.group(1)) + "." + matcher.group(2)
                            : FOREIGN_MAIL);
                }
                header.setLength(0);
                header.append(line);
            }
            return Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private static String messageIdOf(String headerLine) {
        int colon = headerLine.indexOf(':');
        if (colon < 0 || !headerLine.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("message-id")) {
            return null;
        }
        return headerLine.substring(colon + 1).trim();
    }

    private static List<Path> files(Path directory, String extension) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(extension)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + directory, e);
        }
    }

    private static String idOf(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }
}
