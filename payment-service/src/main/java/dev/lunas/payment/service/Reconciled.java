package dev.lunas.payment.service;

import dev.lunas.payment.model.PaymentStatus;
import java.util.UUID;

/**
 * What one Get Status check found and did.
 *
 * @param providerStatus Midtrans's transaction_status, or {@link #NOT_FOUND}
 * @param outcome        what was done with the answer (an {@code EventOutcome} name, or DUPLICATE)
 */
public record Reconciled(UUID orderId, PaymentStatus status, String providerStatus, String outcome) {

    public static final String NOT_FOUND = "not_found";
}
