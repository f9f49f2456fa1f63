package dev.lunas.launcher.midtrans;

/**
 * An HTTP notification as Midtrans sends it: the body is fixed when the event happens, so every retry and
 * every duplicate carries exactly the same bytes.
 */
record Notification(String orderId, String transactionStatus, String statusCode, String body) {
}
