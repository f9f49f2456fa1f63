package dev.lunas.order.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lunas.order.model.ClosedReason;
import dev.lunas.order.model.CustomerOrder;
import dev.lunas.order.model.OrderStatus;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An order as the storefront sees it: what was bought, for how much, and how to pay; never the
 * customer's contact data, since anyone holding the order id can read it.
 */
@RegisterForReflection
@Schema(name = "Order")
public record OrderView(
        @Schema(required = true) UUID orderId,
        @Schema(required = true) OrderStatus status,
        @Schema(required = true) String packageId,
        @Schema(required = true) String packageName,
        @Schema(required = true, description = "List price in rupiah") long price,
        @Schema(required = true, nullable = true, description = "The discount code applied; null without one")
        String discountCode,
        @Schema(required = true, description = "Rupiah taken off the price") long discountAmount,
        @Schema(required = true, description = "What the customer pays, in rupiah (never below 1)") long amount,
        @Schema(required = true, examples = "IDR") String currency,
        @Schema(required = true) Instant createdAt,
        @Schema(required = true, description = "Pay before this instant, or the order expires") Instant expiresAt,
        @Schema(required = true, nullable = true, description = "When the payment settled; null until PAID") Instant paidAt,
        @Schema(required = true, nullable = true,
                description = "Where to pay: present while the order is PENDING_PAYMENT, null otherwise (also while "
                        + "payment is not yet available: see paymentRetryAfterSeconds)")
        PaymentLink payment,
        @Schema(description = "Present when payment could not be prepared just now: ask again (POST /api/orders/{orderId}/pay, "
                + "or repeat the checkout with the same Idempotency-Key) after this many seconds")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        Long paymentRetryAfterSeconds,
        @Schema(description = "For a package with a limited quota, while the order is open: its place is held until this "
                + "instant; unpaid by then, the order expires (closedReason HOLD_LAPSED) and the place is offered again")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        Instant placeHeldUntil,
        @Schema(description = "Why a FAILED or EXPIRED order closed: HOLD_LAPSED (a limited package's place was held and "
                + "not paid in time), PAYMENT_WINDOW_LAPSED, PAYMENT_FAILED or PAYMENT_EXPIRED (at the payment provider)")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        ClosedReason closedReason) {

    /** The Midtrans Snap token (for snap.js) and the hosted payment page. */
    @RegisterForReflection
    public record PaymentLink(
            @Schema(required = true, description = "The Snap token for snap.js: window.snap.pay(token, callbacks)")
            String token,
            @Schema(required = true, description = "Midtrans's hosted payment page, for a redirect instead of the popup")
            String redirectUrl) {
    }

    public static OrderView of(CustomerOrder order) {
        return of(order, null);
    }

    /** With a hint that payment is not yet available and when to ask again. */
    public static OrderView of(CustomerOrder order, Duration paymentRetryAfter) {
        PaymentLink payment = order.status() == OrderStatus.PENDING_PAYMENT && order.paymentToken() != null
                ? new PaymentLink(order.paymentToken(), order.paymentUrl())
                : null;
        return new OrderView(order.id(), order.status(), order.packageId(), order.packageName(), order.price(),
                order.discountCode(), order.discountAmount(), order.amount(), order.currency(), order.createdAt(),
                order.expiresAt(), order.paidAt(), payment,
                paymentRetryAfter == null ? null : Math.max(1, paymentRetryAfter.toSeconds()),
                order.status().isOpen() ? order.placeHeldUntil() : null,
                order.status().isOpen() ? null : order.closedReason());
    }
}
