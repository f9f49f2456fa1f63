package dev.lunas.payment.service;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;

/**
 * order-service asks for a Snap token (docs/integration.md). {@code amount} is what the customer pays,
 * in whole rupiah; the single Snap item is priced at it.
 */
public record PaymentRequest(@NotNull UUID orderId,
                             @NotNull @Positive Long amount,
                             @NotNull @Pattern(regexp = "IDR", message = "must be IDR") String currency,
                             @NotNull @Future Instant expiresAt,
                             @NotNull @Valid Item item,
                             @NotNull @Valid Customer customer) {

    /** Midtrans limits item ids and names to 50 characters; longer names are shortened, ids refused. */
    public record Item(@NotBlank @Size(max = 50) String id, @NotBlank @Size(max = 255) String name) {
    }

    public record Customer(@NotBlank @Size(max = 255) String name,
                           @NotBlank @Email @Size(max = 255) String email,
                           @Pattern(regexp = "\\+?[0-9]{8,15}", message = "must be a phone number in E.164") String phone) {
    }
}
