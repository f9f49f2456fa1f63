package dev.lunas.notification.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.ext.mail.SMTPException;
import java.net.ConnectException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmtpErrorClassificationTest {

    @Test
    void aMailboxThatWillNeverTakeTheMessageIsPermanent() {
        DeliveryFailureException unknownUser = EmailClient.classify(smtp(550, "550 5.1.1 <budi.santoso@example.com>: Recipient address rejected"));
        assertThat(unknownUser.permanent()).isTrue();
        assertThat(unknownUser.getMessage()).contains("b***@example.com").doesNotContain("budi.santoso");
        assertThat(EmailClient.classify(smtp(553, "553 5.1.3 mailbox name not allowed")).permanent()).isTrue();
        assertThat(EmailClient.classify(smtp(501, "501 5.1.3 Bad recipient address syntax")).permanent()).isTrue();
    }

    @Test
    void temporaryRefusalsPolicyAndTheNetworkAreRetried() {
        assertThat(EmailClient.classify(smtp(451, "451 4.3.0 Try again later")).permanent()).isFalse();
        assertThat(EmailClient.classify(smtp(452, "452 4.2.2 Mailbox full")).permanent()).isFalse();
        assertThat(EmailClient.classify(smtp(421, "421 4.4.2 Timeout, closing connection")).permanent()).isFalse();
        assertThat(EmailClient.classify(smtp(530, "530 5.7.0 Authentication required")).permanent()).isFalse();
        assertThat(EmailClient.classify(new ConnectException("Connection refused")).permanent()).isFalse();
    }

    private static SMTPException smtp(int code, String reply) {
        return new SMTPException("RCPT TO", code, List.of(reply), true);
    }
}
