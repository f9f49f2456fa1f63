package dev.lunas.systemtest.harness;

/**
 * A customer as the storefront's checkout form has them.
 *
 * @param phone as typed, in the local format ({@code 0812-3456-7890}); the services store it as E.164
 */
public record Customer(String name, String email, String phone) {

    /** The phone as order-service stores it: {@code +6281234567890}. */
    public String e164() {
        return "+" + whatsAppNumber();
    }

    /** The phone as the WhatsApp Cloud API takes it: international digits without "+". */
    public String whatsAppNumber() {
        return "62" + phone.replaceAll("[^0-9]", "").substring(1);
    }
}
