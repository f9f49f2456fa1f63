package dev.lunas.notification.client;

import static dev.lunas.common.logging.Masking.email;

import dev.lunas.notification.config.NotificationConfig;
import dev.lunas.notification.model.Channel;
import dev.lunas.notification.model.Delivery;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.quarkus.runtime.LaunchMode;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.mail.SMTPException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * EMAIL through quarkus-mailer. Every message has a plain-text and an HTML part rendered from the Qute
 * templates {@code templates/email/<template>.txt|.html}, and a Message-ID derived from the event and
 * template, so a retried send of the same message is recognisable as the same message.
 */
@ApplicationScoped
public class EmailClient implements ChannelClient {

    public static final String OPS_ALERT = "ops-alert";
    static final List<String> TEMPLATES = List.of("payment-instructions", "payment-reminder", "payment-success",
            "order-expired", OPS_ALERT);

    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+");
    /** Servers quote the rejected address in their reply; it is masked before the reply is stored or logged. */
    private static final Pattern ADDRESS_IN_TEXT = Pattern.compile("[^@\\s<>:;,]+@[^@\\s<>:;,]+");
    /** Reply codes that mean "this mailbox will never take it": 550 unavailable, 551 not local, 553 bad name. */
    private static final Set<Integer> MAILBOX_REJECTED = Set.of(550, 551, 553);

    private final ReactiveMailer mailer;
    private final MessageContent content;
    private final Optional<String> switchedOffReason;
    private final Optional<String> alertAddress;
    private final String messageIdDomain;
    private final Map<String, Template> text = new HashMap<>();
    private final Map<String, Template> html = new HashMap<>();

    public EmailClient(ReactiveMailer mailer, MessageContent content, NotificationConfig config, Engine qute,
                       @ConfigProperty(name = "quarkus.mailer.mock") Optional<Boolean> mock,
                       @ConfigProperty(name = "quarkus.mailer.from") Optional<String> from) {
        this.mailer = mailer;
        this.content = content;
        boolean mocked = mock.orElse(LaunchMode.current() != LaunchMode.NORMAL);
        boolean hasHost = config.email().smtpHost().filter(host -> !host.isBlank()).isPresent();
        this.switchedOffReason = mocked || hasHost
                ? Optional.empty()
                : Optional.of("EMAIL is switched off: no SMTP host configured (QUARKUS_MAILER_HOST)");
        this.alertAddress = config.email().alertAddress().filter(address -> !address.isBlank());
        this.messageIdDomain = from.map(EmailClient::domainOf).orElse("lunas.local");
        for (String template : TEMPLATES) {
            text.put(template, required(qute, "email/" + template + ".txt"));
            html.put(template, required(qute, "email/" + template + ".html"));
        }
    }

    @Override
    public Channel channel() {
        return Channel.EMAIL;
    }

    @Override
    public Optional<String> switchedOff(String template) {
        if (switchedOffReason.isPresent()) {
            return switchedOffReason;
        }
        if (OPS_ALERT.equals(template) && alertAddress.isEmpty()) {
            return Optional.of("ops alerts are switched off: no ALERT_EMAIL configured");
        }
        return Optional.empty();
    }

    @Override
    public Uni<String> send(Delivery delivery) {
        MessageView view = content.of(delivery);
        String recipient = OPS_ALERT.equals(delivery.template()) ? alertAddress.orElse("") : view.email();
        if (recipient == null || !ADDRESS.matcher(recipient).matches()) {
            throw DeliveryFailureException.permanent("not a deliverable email address: " + email(recipient));
        }
        String messageId = messageId(delivery);
        Mail mail = Mail.withText(recipient, subject(delivery.template(), view), render(text, delivery, view))
                .setHtml(render(html, delivery, view))
                .addHeader("Message-ID", messageId);
        return mailer.send(mail).replaceWith(messageId).onFailure().transform(EmailClient::classify);
    }

    /** {@code <event id>.<template>@<sender domain>}: the same for every attempt at the same message. */
    private String messageId(Delivery delivery) {
        return "<" + delivery.eventId() + "." + delivery.template() + "@" + messageIdDomain + ">";
    }

    static DeliveryFailureException classify(Throwable failure) {
        if (failure instanceof SMTPException smtp) {
            boolean mailboxRejected = smtp.isPermanent() && (MAILBOX_REJECTED.contains(smtp.getReplyCode())
                    || smtp.getEnhancedStatus() == SMTPException.EnhancedStatus.OTHER_ADDRESS);
            String reason = "SMTP " + smtp.getReplyCode() + " "
                    + ADDRESS_IN_TEXT.matcher(smtp.getReplyMessage()).replaceAll(found -> Matcher.quoteReplacement(email(found.group())));
            return mailboxRejected ? DeliveryFailureException.permanent(reason) : DeliveryFailureException.retryable(reason);
        }
        return DeliveryFailureException.of(failure);
    }

    private static String subject(String template, MessageView view) {
        return switch (template) {
            case "payment-instructions" -> "Selesaikan pembayaran pesanan Anda: " + view.packageName();
            case "payment-reminder" -> "Pengingat: batas waktu pembayaran " + view.packageName() + " segera berakhir";
            case "payment-success" -> "Pembayaran berhasil, akses kursus " + view.packageName() + " sudah aktif";
            case "order-expired" -> "Pesanan " + view.packageName() + " telah kedaluwarsa";
            case OPS_ALERT -> "[Lunas " + view.alertSeverity() + "] " + view.alertCode();
            default -> throw DeliveryFailureException.permanent("no email subject for template " + template);
        };
    }

    private static String render(Map<String, Template> variants, Delivery delivery, MessageView view) {
        Template template = variants.get(delivery.template());
        if (template == null) {
            throw DeliveryFailureException.permanent("no email template " + delivery.template());
        }
        try {
            return template.data("m", view).render();
        } catch (RuntimeException e) {
            throw DeliveryFailureException.permanent("email template " + delivery.template() + " failed to render: "
                    + e.getClass().getSimpleName());
        }
    }

    private static Template required(Engine qute, String location) {
        Template template = qute.getTemplate(location);
        if (template == null) {
            throw new IllegalStateException("Missing email template templates/" + location);
        }
        return template;
    }

    private static String domainOf(String address) {
        String bare = address.replaceAll(".*<([^>]*)>.*", "$1").trim();
        int at = bare.lastIndexOf('@');
        return at < 0 || at == bare.length() - 1 ? "lunas.local" : bare.substring(at + 1);
    }
}
