package dev.lunas.legacyimport;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the import's contact rules in step with order-service's checkout, whose code a tool may not link: this test
 * loads order-service's compiled classes (order-service/target/classes, built before this module) and runs both on
 * the same inputs. The phone rule must answer exactly as the checkout's; the email rule may refuse what the checkout
 * takes (it is stricter) but never take what the checkout refuses.
 */
class RulesInStepTest {

    private static URLClassLoader orderService;
    private static Method checkoutPhoneRule;
    private static Class<?> checkoutCustomer;
    private static ValidatorFactory validators;
    private static Validator validator;

    @BeforeAll
    static void loadOrderServiceRules() throws Exception {
        Path classes = Path.of(System.getProperty("lunas.repository", "../.."), "order-service", "target", "classes");
        assertThat(classes.resolve("dev/lunas/order/service/PhoneNumbers.class"))
                .as("order-service's compiled classes; build order-service first (./mvnw -o install -DskipTests -pl order-service)")
                .exists();
        orderService = new URLClassLoader(new URL[] {classes.toUri().toURL()}, RulesInStepTest.class.getClassLoader());
        checkoutPhoneRule = orderService.loadClass("dev.lunas.order.service.PhoneNumbers").getMethod("toE164", String.class);
        checkoutCustomer = orderService.loadClass("dev.lunas.order.service.CheckoutRequest$Customer");
        validators = Validation.byDefaultProvider().configure()
                .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory();
        validator = validators.getValidator();
    }

    @AfterAll
    static void close() throws Exception {
        validators.close();
        orderService.close();
    }

    @Test
    void phoneNumbersAreNormalisedExactlyAsAtCheckout() throws Exception {
        List<String> numbers = new ArrayList<>(List.of("081234567890", "0812-3456-7890", "(0812) 3456.7890", "6281234567890",
                "+6281234567890", "+62 812-3456-7890", "+62 0812 3456 7890", "0811234567", "0895-1234-56789", "", "0812",
                "08123456", "021-555-1234", "+62215551234", "0812345678901234", "081234567890x", "+1 415 555 0100",
                "81234567890", "0802-3456-7890", "+62 8", "６２８１２３４５６７８９０", "62 0812 3456 7890", "+6208123456789",
                "0 8 1 2 3 4 5 6 7 8 9", "08\t1234567890", "+62+81234567890"));
        Random random = new Random(20240611);
        String[] prefixes = {"", "0", "62", "+62", "+62 0", "620", "+620", "00", "+", "062"};
        String alphabet = "0123456789 -.()+x";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder number = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
            if (random.nextBoolean()) {
                number.append('8').append(random.nextInt(10));
                int digits = 5 + random.nextInt(9);
                for (int d = 0; d < digits; d++) {
                    number.append(random.nextInt(10));
                    if (random.nextInt(8) == 0) {
                        number.append(" -.()".charAt(random.nextInt(5)));
                    }
                }
            } else {
                int length = random.nextInt(18);
                for (int c = 0; c < length; c++) {
                    number.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            numbers.add(number.toString());
        }
        int accepted = 0;
        for (String number : numbers) {
            Optional<String> ours = PhoneNumbers.toE164(number);
            assertThat(ours).as("'%s'", number).isEqualTo(checkoutPhoneRule.invoke(null, number));
            accepted += ours.isPresent() ? 1 : 0;
        }
        assertThat(accepted).as("numbers both accept").isGreaterThan(1_000);
    }

    @Test
    void noEmailAddressTheCheckoutRefusesIsImported() {
        List<String> addresses = new ArrayList<>(List.of("budi@example.com", "Budi.Santoso+kursus@Contoh.co.id",
                "a@b.co", "o'brien@example.org", "x_y-z@sub-domain.example.id", "budi@example", "@example.com", "budi@",
                "budi@@example.com", "bu di@example.com", "budi@exa mple.com", "budi@-example.com", "budi@example-.com",
                "budi..santoso@example.com", ".budi@example.com", "budi.@example.com", "budi@example..com",
                "budi@example.c", "\"budi\"@example.com", "budi@bücher.de", "bü@example.com", "budi@[127.0.0.1]",
                "budi@127.0.0.1", "a".repeat(64) + "@example.com", "a".repeat(65) + "@example.com",
                "b@" + "a".repeat(63) + ".com", "b@" + "a".repeat(64) + ".com",
                "b@" + ("a".repeat(60) + ".").repeat(4) + "com", "budi@example.com\n", "bu\u0000di@example.com"));
        Random random = new Random(8);
        String noisy = "abz09.-_+@'\"!#$%&*/=?^`{|}~ü ";
        String plain = "abz09.-_";
        for (int i = 0; i < 20_000; i++) {
            String alphabet = i % 2 == 0 ? noisy : plain;
            StringBuilder address = new StringBuilder();
            int local = 1 + random.nextInt(8);
            for (int c = 0; c < local; c++) {
                address.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            address.append('@');
            int domain = 1 + random.nextInt(10);
            for (int c = 0; c < domain; c++) {
                address.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            address.append(random.nextBoolean() ? ".com" : ".id");
            addresses.add(address.toString());
        }
        int accepted = 0;
        for (String address : addresses) {
            Optional<String> ours = EmailAddresses.canonical(address);
            if (ours.isPresent()) {
                accepted++;
                assertThat(checkoutAccepts(ours.get())).as("'%s' imported as '%s'", address, ours.get()).isTrue();
            }
        }
        assertThat(accepted).as("addresses the import takes").isGreaterThan(2_000);
        // stricter than the checkout, knowingly: these are reported for a person rather than imported
        assertThat(checkoutAccepts("\"budi\"@example.com")).isTrue();
        assertThat(EmailAddresses.canonical("\"budi\"@example.com")).isEmpty();
        assertThat(checkoutAccepts("budi@bücher.de")).isTrue();
        assertThat(EmailAddresses.canonical("budi@bücher.de")).isEmpty();
    }

    private static boolean checkoutAccepts(String email) {
        return validator.validateValue(customerType(), "email", email).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static <T> Class<T> customerType() {
        return (Class<T>) checkoutCustomer;
    }
}
