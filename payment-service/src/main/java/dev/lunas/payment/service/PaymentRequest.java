package dev.lunas.payment.service;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;

/**
 * order-service asks for a Snap token (docs/integration.md). {@code amount} is what the customer pays,
 * in whole rupiah (a JSON integer, at most {@value #MAX_AMOUNT}); the single Snap item is priced at it.
 * Every string is bounded; the body itself is at most 64 KiB and its nesting is bounded by Jackson.
 */
public record PaymentRequest(@NotNull UUID orderId,
                             @NotNull @Positive @Max(MAX_AMOUNT) @JsonDeserialize(using = WholeRupiah.class) Long amount,
                             @NotNull @Size(max = 3) @Pattern(regexp = "IDR", message = "must be IDR") String currency,
                             @NotNull @Future Instant expiresAt,
                             @NotNull @Valid Item item,
                             @NotNull @Valid Customer customer) {

    /** A trillion rupiah: far above any order, far below a long's range. */
    public static final long MAX_AMOUNT = 999_999_999_999L;

    /** Midtrans limits item ids and names to 50 characters; longer names are shortened, ids refused. */
    public record Item(@NotBlank @Size(max = 50) String id, @NotBlank @Size(max = 255) String name) {
    }

    public record Customer(@NotBlank @Size(max = 255) String name,
                           @NotBlank @Email @Size(max = 255) String email,
                           @Size(max = 16) @Pattern(regexp = "\\+?[0-9]{8,15}", message = "must be a phone number in E.164") String phone) {
    }
}
