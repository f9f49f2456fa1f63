package dev.lunas.order.service;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The storefront's checkout body. Prices never come from here: the server computes them. */
@Schema(name = "CheckoutRequest")
public record CheckoutRequest(
        @Schema(examples = "ai-movie-course")
        @NotBlank @Size(max = 64) @Pattern(regexp = "[a-z0-9][a-z0-9-]*", message = "must be a package id")
        String packageId,
        @NotNull @Valid
        Customer customer,
        @Schema(description = "Optional discount code, matched case-insensitively", examples = "HEMAT10")
        @Size(max = 32) @Pattern(regexp = "\\s*|[A-Za-z0-9_-]+", message = "must be letters, digits, '-' or '_'")
        String discountCode) {

    @Schema(name = "CheckoutCustomer")
    // Control characters are spelt \x00-\x1F\x7F (Java's \p{Cntrl}), which the JavaScript regular expressions
    // of OpenAPI tools (the document's pattern) read the same way.
    public record Customer(
            @Schema(examples = "Budi Santoso")
            @NotNull @Size(max = 200)
            @Pattern(regexp = "\\s*[^\\s\\x00-\\x1F\\x7F][^\\x00-\\x1F\\x7F]{0,98}[^\\s\\x00-\\x1F\\x7F]\\s*",
                    message = "must be 2 to 100 characters without control characters")
            String name,
            @Schema(examples = "budi@example.com")
            @NotBlank @Size(max = 254) @Email(regexp = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+")
            String email,
            @Schema(description = "Indonesian mobile number; 08…, 628… and +628… are accepted, spaces and dashes ignored",
                    examples = "0812-3456-7890")
            @NotBlank @Size(max = 32) @IndonesianMobile
            String phone) {
    }
}
