package dev.lunas.launcher.run;

import static dev.lunas.launcher.run.Service.NOTIFICATION;
import static dev.lunas.launcher.run.Service.ORDER;
import static dev.lunas.launcher.run.Service.PAYMENT;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every environment variable the services take, and which service takes it: the one list the tooling builds each
 * service's environment from ({@link #environment}), and that docker-compose.yml and deploy/k8s are checked
 * against (DeploymentsTest, ManifestTest), so a setting added to a service cannot be forgotten in one of them.
 *
 * <p>A {@link Need#DEPLOYED} variable is given to its services by every deployment; an {@link Need#OPTIONAL} one
 * has a default the deployments may keep (tuning knobs, TLS and credentials of the SMTP server, what the tooling
 * sets for its own runs). The names are those of docs/architecture.md's configuration table.
 */
public enum ServiceVariable {

    QUARKUS_DATASOURCE_REACTIVE_URL(Need.DEPLOYED, ORDER, PAYMENT, NOTIFICATION),
    QUARKUS_DATASOURCE_JDBC_URL(Need.DEPLOYED, ORDER, PAYMENT, NOTIFICATION),
    QUARKUS_DATASOURCE_USERNAME(Need.DEPLOYED, ORDER, PAYMENT, NOTIFICATION),
    QUARKUS_DATASOURCE_PASSWORD(Need.DEPLOYED, ORDER, PAYMENT, NOTIFICATION),
    /** The schema owner's login for the migrations at start (the datasource's runtime role cannot change the schema). */
    QUARKUS_FLYWAY_USERNAME(Need.DEPLOYED, ORDER, PAYMENT, NOTIFICATION),
    QUARKUS_FLYWAY_PASSWORD(Need.DEPLOYED, ORDER, PAYMENT, NOTIFICATION),
    QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE(Need.OPTIONAL, ORDER, PAYMENT, NOTIFICATION),
    QUARKUS_HTTP_HOST(Need.OPTIONAL, ORDER, PAYMENT, NOTIFICATION),
    QUARKUS_HTTP_PORT(Need.OPTIONAL, ORDER, PAYMENT, NOTIFICATION),

    ORDER_SERVICE_URL(Need.DEPLOYED, NOTIFICATION),
    PAYMENT_SERVICE_URL(Need.DEPLOYED, ORDER),

    LUNAS_PAYMENTS_TOKEN(Need.DEPLOYED, ORDER, PAYMENT),
    LUNAS_RELAY_TOKEN(Need.DEPLOYED, ORDER, NOTIFICATION),
    LUNAS_ENTITLEMENTS_TOKEN(Need.DEPLOYED, ORDER),
    LUNAS_RESULT_SIGNING_KEY(Need.DEPLOYED, ORDER, PAYMENT),
    LUNAS_ADMIN_TOKEN(Need.DEPLOYED, ORDER, PAYMENT, NOTIFICATION),

    MIDTRANS_SERVER_KEY(Need.DEPLOYED, PAYMENT),
    MIDTRANS_CLIENT_KEY(Need.DEPLOYED, PAYMENT),
    MIDTRANS_SNAP_BASE_URL(Need.DEPLOYED, PAYMENT),
    MIDTRANS_API_BASE_URL(Need.DEPLOYED, PAYMENT),
    MIDTRANS_FINISH_URL(Need.OPTIONAL, PAYMENT),

    QUARKUS_MAILER_HOST(Need.DEPLOYED, NOTIFICATION),
    QUARKUS_MAILER_PORT(Need.DEPLOYED, NOTIFICATION),
    QUARKUS_MAILER_FROM(Need.DEPLOYED, NOTIFICATION),
    QUARKUS_MAILER_TLS(Need.OPTIONAL, NOTIFICATION),
    QUARKUS_MAILER_START_TLS(Need.OPTIONAL, NOTIFICATION),
    QUARKUS_MAILER_USERNAME(Need.OPTIONAL, NOTIFICATION),
    QUARKUS_MAILER_PASSWORD(Need.OPTIONAL, NOTIFICATION),
    QUARKUS_MAILER_MOCK(Need.OPTIONAL, NOTIFICATION),
    /** Staging's guard: only recipients matching one of these patterns get mail (deploy/k8s/overlays/staging). */
    QUARKUS_MAILER_APPROVED_RECIPIENTS(Need.OPTIONAL, NOTIFICATION),

    WHATSAPP_API_URL(Need.DEPLOYED, NOTIFICATION),
    WHATSAPP_TOKEN(Need.DEPLOYED, NOTIFICATION),
    WHATSAPP_PHONE_NUMBER_ID(Need.DEPLOYED, NOTIFICATION),
    WHATSAPP_TEMPLATE_PAYMENT_INSTRUCTIONS(Need.OPTIONAL, NOTIFICATION),
    WHATSAPP_TEMPLATE_PAYMENT_REMINDER(Need.OPTIONAL, NOTIFICATION),
    WHATSAPP_TEMPLATE_PAYMENT_SUCCESS(Need.OPTIONAL, NOTIFICATION),

    STOREFRONT_ORIGIN(Need.DEPLOYED, ORDER, PAYMENT),
    COURSE_ACCESS_URL(Need.DEPLOYED, ORDER, NOTIFICATION),
    SUPPORT_WHATSAPP_URL(Need.DEPLOYED, NOTIFICATION),
    ALERT_EMAIL(Need.DEPLOYED, NOTIFICATION),

    LUNAS_RATE_LIMIT_ENABLED(Need.OPTIONAL, ORDER, PAYMENT, NOTIFICATION),
    LUNAS_RATE_LIMIT_TRUSTED_PROXIES(Need.OPTIONAL, ORDER, PAYMENT, NOTIFICATION),
    LUNAS_RATE_LIMIT_RULES_CHECKOUT_ADDRESS_LIMIT(Need.OPTIONAL, ORDER),
    LUNAS_RATE_LIMIT_RULES_CHECKOUT_ADDRESS_WINDOW(Need.OPTIONAL, ORDER),
    LUNAS_RATE_LIMIT_RULES_CHECKOUT_EMAIL_LIMIT(Need.OPTIONAL, ORDER),
    LUNAS_RATE_LIMIT_RULES_WEBHOOK_ADDRESS_LIMIT(Need.OPTIONAL, PAYMENT),

    LUNAS_WATCHDOG_ENABLED(Need.OPTIONAL, NOTIFICATION),
    LUNAS_WATCHDOG_INTERVAL(Need.OPTIONAL, NOTIFICATION),
    LUNAS_WATCHDOG_COOLDOWN(Need.OPTIONAL, NOTIFICATION),
    LUNAS_WATCHDOG_SETTLED_NOT_PAID_AFTER(Need.OPTIONAL, NOTIFICATION),
    LUNAS_WATCHDOG_OPEN_PAST_DEADLINE(Need.OPTIONAL, NOTIFICATION),

    LUNAS_NOTIFICATION_QUEUE_BATCH_SIZE(Need.OPTIONAL, NOTIFICATION),
    LUNAS_NOTIFICATION_QUEUE_LEASE(Need.OPTIONAL, NOTIFICATION),
    LUNAS_NOTIFICATION_QUEUE_RESCUE_INTERVAL(Need.OPTIONAL, NOTIFICATION),
    LUNAS_NOTIFICATION_EMAIL_TIMEOUT(Need.OPTIONAL, NOTIFICATION),
    LUNAS_NOTIFICATION_EMAIL_MAX_ATTEMPTS(Need.OPTIONAL, NOTIFICATION),
    LUNAS_NOTIFICATION_EMAIL_BREAKER_DELAY(Need.OPTIONAL, NOTIFICATION),
    LUNAS_NOTIFICATION_WHATSAPP_MAX_ATTEMPTS(Need.OPTIONAL, NOTIFICATION),
    LUNAS_NOTIFICATION_RETRY_BASE(Need.OPTIONAL, NOTIFICATION),
    LUNAS_NOTIFICATION_RETRY_CAP(Need.OPTIONAL, NOTIFICATION),
    LUNAS_NOTIFICATION_GAUGE_REFRESH(Need.OPTIONAL, NOTIFICATION);

    /** Whether every deployment must give the variable to its services. */
    public enum Need {
        /** docker-compose.yml and deploy/k8s give it to every service that takes it. */
        DEPLOYED,
        /** The service has a default; a deployment or a run of the tooling sets it where it wants another value. */
        OPTIONAL
    }

    private final Need need;
    private final Set<Service> services;

    ServiceVariable(Need need, Service first, Service... more) {
        this.need = need;
        this.services = EnumSet.of(first, more);
    }

    public Need need() {
        return need;
    }

    public boolean takenBy(Service service) {
        return services.contains(service);
    }

    /** The variable called {@code name}, if the list knows one. */
    public static Optional<ServiceVariable> named(String name) {
        return Arrays.stream(values()).filter(variable -> variable.name().equals(name)).findFirst();
    }

    /**
     * The part of {@code settings} that {@code service} takes: the environment it is started with, whatever the
     * other services are given.
     *
     * @throws LaunchException when a setting names a variable this list does not know
     */
    public static Map<String, String> environment(Service service, Map<String, String> settings) {
        Map<String, String> environment = new LinkedHashMap<>();
        settings.forEach((name, value) -> {
            ServiceVariable variable = named(name).orElseThrow(() -> new LaunchException(name
                    + " is not a variable any service takes; add it to ServiceVariable with the services that read it"));
            if (variable.takenBy(service)) {
                environment.put(name, value);
            }
        });
        return environment;
    }

    /**
     * Checks a variable given to one service explicitly (a scenario's setting): a Lunas or Quarkus setting must be
     * one this service takes; anything else (LD_PRELOAD, FAKETIME) is the caller's business.
     *
     * @throws LaunchException when the service does not take it
     */
    public static void requireTakenBy(Service service, String name) {
        boolean setting = name.startsWith("LUNAS_") || name.startsWith("QUARKUS_") || named(name).isPresent();
        if (setting && !named(name).map(variable -> variable.takenBy(service)).orElse(false)) {
            throw new LaunchException(service + " takes no " + name + "; add it to ServiceVariable if it does");
        }
    }
}
