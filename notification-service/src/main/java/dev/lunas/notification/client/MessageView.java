package dev.lunas.notification.client;

/**
 * What a customer-facing message says, already formatted for Indonesian readers (amounts as
 * "Rp 99.000", times in WIB). One shape for every template and channel, so the email and WhatsApp
 * versions of a message cannot drift apart. Fields a template does not need are empty.
 */
public record MessageView(String customerName, String email, String phone, String orderId, String packageName,
                          String amount, String paymentUrl, String deadline, String accessUrl, String supportUrl,
                          String alertSeverity, String alertCode, String alertMessage) {
}
