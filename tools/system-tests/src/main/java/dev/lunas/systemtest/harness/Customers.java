package dev.lunas.systemtest.harness;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Makes customers whose email address and phone number no other customer of the run has, so every message
 * a sink catches can be traced to one order, and remembers them all, so a test can look for their contact
 * data in the services' logs.
 */
public final class Customers {

    private static final List<String> NAMES = List.of("Budi Santoso", "Siti Rahayu", "Agus Wijaya", "Dewi Lestari",
            "Rina Kartika", "Joko Susilo", "Putri Maharani", "Hendra Gunawan");

    private final SecureRandom random = new SecureRandom();
    private final Set<String> phones = new HashSet<>();
    private final List<Customer> issued = new ArrayList<>();

    public synchronized Customer next() {
        String name = NAMES.get(issued.size() % NAMES.size());
        String email = name.toLowerCase(Locale.ROOT).replace(' ', '.') + "." + (issued.size() + 1) + "."
                + Integer.toHexString(0x100000 + random.nextInt(0xF00000)) + "@contoh.co.id";
        String phone;
        do {
            phone = String.format(Locale.ROOT, "0812-%04d-%04d", random.nextInt(10_000), random.nextInt(10_000));
        } while (!phones.add(phone));
        Customer customer = new Customer(name, email, phone);
        issued.add(customer);
        return customer;
    }

    /** Every customer made so far. */
    public synchronized List<Customer> issued() {
        return List.copyOf(issued);
    }
}
