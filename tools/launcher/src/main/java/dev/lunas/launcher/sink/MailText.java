package dev.lunas.launcher.sink;

import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import java.io.IOException;

/**
 * The first plain-text and the first HTML part of a mail, wherever they sit in its multipart tree (attachments left
 * out): what the messages page shows, and what the system tests read.
 *
 * @param plain null when the mail has no plain-text part
 * @param html  null when the mail has no HTML part
 */
public record MailText(String plain, String html) {

    public static MailText of(Part mail) throws MessagingException, IOException {
        return collect(mail, new MailText(null, null));
    }

    private static MailText collect(Part part, MailText found) throws MessagingException, IOException {
        if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            return found;
        }
        if (part.isMimeType("text/plain") && found.plain == null) {
            return new MailText(String.valueOf(part.getContent()), found.html);
        }
        if (part.isMimeType("text/html") && found.html == null) {
            return new MailText(found.plain, String.valueOf(part.getContent()));
        }
        MailText collected = found;
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                collected = collect(multipart.getBodyPart(i), collected);
            }
        }
        return collected;
    }
}
