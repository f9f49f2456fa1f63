package dev.lunas.order.service;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Locale;

/**
 * A validated checkout in canonical form: trimmed name, lower-case email, E.164 phone, upper-case code.
 * Two requests that mean the same order have the same command, and so the same idempotency fingerprint.
 */
@RegisterForReflection
public record CheckoutCommand(String packageId, String name, String email, String phone, String discountCode) {

    static CheckoutCommand of(CheckoutRequest request) {
        String code = request.discountCode() == null || request.discountCode().isBlank()
                ? null
                : request.discountCode().trim().toUpperCase(Locale.ROOT);
        return new CheckoutCommand(
                request.packageId(),
                request.customer().name().trim(),
                request.customer().email().trim().toLowerCase(Locale.ROOT),
                PhoneNumbers.toE164(request.customer().phone())
                        .orElseThrow(() -> new IllegalArgumentException("phone was not validated")),
                code);
    }
}
