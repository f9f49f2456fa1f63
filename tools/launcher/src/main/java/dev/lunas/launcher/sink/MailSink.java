package dev.lunas.launcher.sink;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.mail.MovingMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.user.UserException;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.lunas.launcher.http.PortInUseException;
import dev.lunas.launcher.http.PortProbe;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Consumer;

/**
 * An SMTP server (GreenMail) that accepts every message for every address without authentication and keeps
 * each one, once, as an {@code .eml} file in the {@link Outbox}. For measurements it can instead imitate a
 * provider's hand-off latency and report each mail it accepts without keeping it ({@link Options}).
 */
public final class MailSink implements AutoCloseable {

    /**
     * How the sink behaves.
     *
     * @param latency      how long each mail's final "250 OK" is held back, as a real SMTP server takes time to
     *                     accept; the sending connection waits that long, other connections do not
     * @param keepMessages keep each mail as a file (and in GreenMail's mailbox); off, a mail is only reported
     * @param onAccepted   told of every mail once it has fully arrived, before the latency
     */
    public record Options(Duration latency, boolean keepMessages, Consumer<Accepted> onAccepted) {

        /** What {@code ./lunas run} does: answer at once and keep everything for a person to read. */
        public static final Options LOCAL_RUN = new Options(Duration.ZERO, true, accepted -> { });

        public Options {
            if (latency.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative, was " + latency);
            }
        }
    }

    /** One mail, at the moment the sink had all of it. */
    public record Accepted(String messageId, String subject, List<String> recipients, Instant at) {
    }

    private final GreenMail greenMail;
    private final SmtpLatency latency;

    private MailSink(GreenMail greenMail, SmtpLatency latency) {
        this.greenMail = greenMail;
        this.latency = latency;
    }

    /**
     * Starts listening on the loopback interface (port 0 picks a free one).
     *
     * @throws PortInUseException when another process holds the port
     */
    public static MailSink start(int port, Outbox outbox, Consumer<String> events) {
        return start(port, outbox, events, Options.LOCAL_RUN);
    }

    /**
     * Starts listening on the loopback interface (port 0 picks a free one), behaving as {@code options} say.
     *
     * @throws PortInUseException when another process holds the port
     */
    public static MailSink start(int port, Outbox outbox, Consumer<String> events, Options options) {
        boolean delayed = !options.latency().isZero();
        int serverPort = delayed ? 0 : port;
        if (delayed && port != 0) {
            PortProbe.requireFree(port, "mail sink (SMTP)");
        }
        ServerSetup smtp = new ServerSetup(serverPort, InetAddress.getLoopbackAddress().getHostAddress(), ServerSetup.PROTOCOL_SMTP);
        if (serverPort == 0) {
            smtp = smtp.dynamicPort();
        } else {
            // GreenMail only logs a failed bind and then reports a generic start failure
            PortProbe.requireFree(port, "mail sink (SMTP)");
        }
        GreenMail greenMail = new GreenMail(smtp).withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        MessageDeliveryHandler deliverToMailbox = greenMail.getUserManager().getMessageDeliveryHandler();
        greenMail.getUserManager().setMessageDeliveryHandler(new Accept(deliverToMailbox, outbox, events, options));
        try {
            greenMail.start();
            return new MailSink(greenMail, delayed
                    ? SmtpLatency.start(port, greenMail.getSmtp().getPort(), options.latency())
                    : null);
        } catch (RuntimeException e) {
            greenMail.stop();
            throw e;
        }
    }

    public int port() {
        return latency != null ? latency.port() : greenMail.getSmtp().getPort();
    }

    @Override
    public void close() {
        if (latency != null) {
            latency.close();
        }
        greenMail.stop();
    }

    /**
     * GreenMail hands a message over once per envelope recipient; the first hand-over reports the mail and writes
     * its file, so a mail to three addresses is one file, as it was one SMTP transaction.
     */
    private static final class Accept implements MessageDeliveryHandler {

        private final MessageDeliveryHandler deliverToMailbox;
        private final Outbox outbox;
        private final Consumer<String> events;
        private final Options options;
        private final Set<MovingMessage> seen = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

        Accept(MessageDeliveryHandler deliverToMailbox, Outbox outbox, Consumer<String> events, Options options) {
            this.deliverToMailbox = deliverToMailbox;
            this.outbox = outbox;
            this.events = events;
            this.options = options;
        }

        @Override
        public GreenMailUser handle(MovingMessage message, MailAddress recipient) throws MessagingException, UserException {
            if (seen.add(message)) {
                MimeMessage mail = message.getMessage();
                options.onAccepted().accept(new Accepted(mail.getMessageID(), mail.getSubject(),
                        message.getToAddresses().stream().map(MailAddress::getEmail).toList(), Instant.now()));
                if (options.keepMessages()) {
                    keep(message, recipient);
                }
            }
            return options.keepMessages() ? deliverToMailbox.handle(message, recipient) : new Discarded(recipient.getEmail());
        }

        private void keep(MovingMessage message, MailAddress recipient) throws MessagingException {
            ByteArrayOutputStream rfc822 = new ByteArrayOutputStream();
            try {
                message.getMessage().writeTo(rfc822);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path file = outbox.storeMail(rfc822.toByteArray(), firstAddressee(message, recipient));
            events.accept("mail \"" + message.getMessage().getSubject() + "\" → " + file.getFileName());
        }

        /** The first To: of the mail names its file; the envelope's recipients come in no particular order. */
        private static String firstAddressee(MovingMessage message, MailAddress envelopeRecipient) throws MessagingException {
            Address[] to = message.getMessage().getRecipients(jakarta.mail.Message.RecipientType.TO);
            if (to != null && to.length > 0 && to[0] instanceof InternetAddress address) {
                return address.getAddress();
            }
            return envelopeRecipient.getEmail();
        }
    }

    /** The recipient of a mail that is reported and then dropped: it keeps nothing, so memory stays flat under load. */
    private record Discarded(String email) implements GreenMailUser {

        @Override
        public String getEmail() {
            return email;
        }

        @Override
        public String getLogin() {
            return email;
        }

        @Override
        public void deliver(MovingMessage message) {
            // dropped on purpose
        }

        @Override
        public void deliver(MimeMessage message) {
            // dropped on purpose
        }

        @Override
        public void create() {
            // nothing to create
        }

        @Override
        public void delete() {
            // nothing to delete
        }

        @Override
        public String getPassword() {
            return null;
        }

        @Override
        public void setPassword(String password) {
            // authentication is off
        }

        @Override
        public void authenticate(String password) {
            // authentication is off
        }

        @Override
        public String getQualifiedMailboxName() {
            return email;
        }
    }
}
