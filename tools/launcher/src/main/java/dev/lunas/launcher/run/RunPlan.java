package dev.lunas.launcher.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code ./lunas run} starts and how it wires the services, decided from the environment alone: every
 * setting the services read (docs/architecture.md, "Configuration") that is already set in the environment
 * passes through untouched, and what is missing is supplied by a local stand-in (embedded PostgreSQL,
 * Midtrans simulator, mail sink, WhatsApp gateway) wired in by environment variables.
 *
 * @param embeddedDatabase   start the embedded PostgreSQL (no QUARKUS_DATASOURCE_* URL is set)
 * @param midtransSimulator  start the simulator (no MIDTRANS_SERVER_KEY is set)
 * @param mailSink           start the SMTP sink (no QUARKUS_MAILER_HOST is set)
 * @param whatsAppSink       start the fake WhatsApp gateway (no WHATSAPP_API_URL is set)
 * @param environment        the variables of the environment the plan was made from that a service takes
 *                           ({@link ServiceVariable}): they reach the services as they are
 * @param serviceEnvironment the variables added for the stand-ins and the run, winning over {@code environment}
 * @param passedThrough      one line per real system in use instead of a stand-in, without secrets
 * @param ports              where the services and stand-ins listen
 */
public record RunPlan(boolean embeddedDatabase, boolean midtransSimulator, boolean mailSink, boolean whatsAppSink,
                      Map<String, String> environment, Map<String, String> serviceEnvironment, List<String> passedThrough,
                      List<String> serviceJvmOptions, Duration startTimeout, double duplicateRate, Ports ports) {

    public static final String DATABASE = "lunas";
    public static final String DATABASE_USER = "postgres";
    public static final String DATABASE_PASSWORD = "postgres";
    public static final String SIMULATOR_SERVER_KEY = "SB-Mid-server-lunas-local";
    public static final String SIMULATOR_CLIENT_KEY = "SB-Mid-client-lunas-local";
    public static final String WHATSAPP_TOKEN = "lunas-local-whatsapp-token";
    public static final String WHATSAPP_PHONE_NUMBER_ID = "100000000000001";
    static final String DEFAULT_JVM_OPTIONS = "-Xmx256m";
    static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);
    static final double DEFAULT_DUPLICATE_RATE = 0.1;

    /** @throws LaunchException when {@code serviceEnvironment} names a variable no service takes */
    public RunPlan {
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        serviceEnvironment = Collections.unmodifiableMap(new LinkedHashMap<>(serviceEnvironment));
        passedThrough = List.copyOf(passedThrough);
        serviceJvmOptions = List.copyOf(serviceJvmOptions);
        for (Service service : Service.values()) {
            ServiceVariable.environment(service, serviceEnvironment);
        }
    }

    /**
     * The plan of {@code ./lunas run}, on its fixed ports.
     *
     * @throws LaunchException when the environment configures a real system only halfway
     */
    public static RunPlan from(Map<String, String> env) {
        return from(env, Ports.LOCAL_RUN);
    }

    /** @throws LaunchException when the environment configures a real system only halfway */
    public static RunPlan from(Map<String, String> env, Ports ports) {
        Map<String, String> wiring = new LinkedHashMap<>();
        List<String> passedThrough = new ArrayList<>();

        wiring.put("ORDER_SERVICE_URL", local(ports.orderService()));
        wiring.put("PAYMENT_SERVICE_URL", local(ports.paymentService()));
        // the credentials between the services and the result signing key: the dev profile's own values, unless the
        // environment sets them

        boolean embeddedDatabase = database(env, wiring, passedThrough, ports);
        boolean simulator = midtrans(env, wiring, passedThrough, ports);
        boolean mailSink = mail(env, wiring, passedThrough, ports);
        boolean whatsAppSink = whatsApp(env, wiring, passedThrough, ports);

        // the demo storefront (tools/storefront/web) is the storefront unless the environment names the real one
        String storefrontOrigin = valueOr(env, "STOREFRONT_ORIGIN", local(ports.storefront()));
        if (isSet(env, "STOREFRONT_ORIGIN")) {
            passedThrough.add("Storefront: " + storefrontOrigin + " (STOREFRONT_ORIGIN; no demo storefront)");
        }
        wiring.put("STOREFRONT_ORIGIN", storefrontOrigin);
        wiring.put("COURSE_ACCESS_URL", valueOr(env, "COURSE_ACCESS_URL", storefrontOrigin + "/courses"));
        wiring.put("SUPPORT_WHATSAPP_URL", valueOr(env, "SUPPORT_WHATSAPP_URL", "https://wa.me/6281200000000"));

        Map<String, String> given = new LinkedHashMap<>();
        env.forEach((name, value) -> ServiceVariable.named(name).ifPresent(variable -> given.put(name, value)));
        return new RunPlan(embeddedDatabase, simulator, mailSink, whatsAppSink, given, wiring, passedThrough,
                List.of(valueOr(env, "LUNAS_SERVICE_JAVA_OPTS", DEFAULT_JVM_OPTIONS).trim().split("\\s+")),
                startTimeout(env), duplicateRate(env), ports);
    }

    /** The same plan with these variables added to (or replacing those in) the services' environment. */
    public RunPlan withServiceEnvironment(Map<String, String> variables) {
        Map<String, String> wiring = new LinkedHashMap<>(serviceEnvironment);
        wiring.putAll(variables);
        return new RunPlan(embeddedDatabase, midtransSimulator, mailSink, whatsAppSink, environment, wiring, passedThrough,
                serviceJvmOptions, startTimeout, duplicateRate, ports);
    }

    /**
     * Whether the demo storefront (tools/storefront/web) is served on {@link Ports#storefront()}: unless the
     * environment names the real storefront's origin (STOREFRONT_ORIGIN).
     */
    public boolean demoStorefront() {
        return !isSet(environment, "STOREFRONT_ORIGIN");
    }

    /** Every setting of the system: the environment's, then what the plan adds. */
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>(environment);
        settings.putAll(serviceEnvironment);
        return settings;
    }

    /** What {@code service} is started with: the settings it takes ({@link ServiceVariable}). */
    public Map<String, String> environmentOf(Service service) {
        return ServiceVariable.environment(service, settings());
    }

    /** The database the services use (the embedded one, unless the environment names another). */
    public Database database() {
        Map<String, String> settings = settings();
        return new Database(settings.get("QUARKUS_DATASOURCE_JDBC_URL"), settings.get("QUARKUS_DATASOURCE_USERNAME"),
                settings.get("QUARKUS_DATASOURCE_PASSWORD"), Optional.empty());
    }

    private static boolean database(Map<String, String> env, Map<String, String> wiring, List<String> passedThrough,
                                    Ports ports) {
        boolean reactive = isSet(env, "QUARKUS_DATASOURCE_REACTIVE_URL");
        boolean jdbc = isSet(env, "QUARKUS_DATASOURCE_JDBC_URL");
        if (reactive != jdbc) {
            String given = reactive ? "QUARKUS_DATASOURCE_REACTIVE_URL" : "QUARKUS_DATASOURCE_JDBC_URL";
            String missing = reactive ? "QUARKUS_DATASOURCE_JDBC_URL" : "QUARKUS_DATASOURCE_REACTIVE_URL";
            throw new LaunchException(given + " is set but " + missing + " is not. The services need both (the reactive"
                    + " URL to serve, the JDBC URL to migrate), or neither for the embedded PostgreSQL.");
        }
        if (reactive) {
            passedThrough.add("PostgreSQL: " + withoutCredentials(env.get("QUARKUS_DATASOURCE_JDBC_URL"))
                    + " (QUARKUS_DATASOURCE_*)");
            return false;
        }
        String address = "localhost:" + ports.postgres() + "/" + DATABASE;
        wiring.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://" + address);
        wiring.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://" + address);
        wiring.put("QUARKUS_DATASOURCE_USERNAME", DATABASE_USER);
        wiring.put("QUARKUS_DATASOURCE_PASSWORD", DATABASE_PASSWORD);
        return true;
    }

    private static boolean midtrans(Map<String, String> env, Map<String, String> wiring, List<String> passedThrough,
                                    Ports ports) {
        boolean urls = isSet(env, "MIDTRANS_SNAP_BASE_URL") || isSet(env, "MIDTRANS_API_BASE_URL");
        if (isSet(env, "MIDTRANS_SERVER_KEY")) {
            passedThrough.add("Midtrans: Snap " + valueOr(env, "MIDTRANS_SNAP_BASE_URL", "(the services' default, the sandbox)")
                    + ", Core API " + valueOr(env, "MIDTRANS_API_BASE_URL", "(the services' default, the sandbox)")
                    + " (MIDTRANS_*)");
            return false;
        }
        if (urls) {
            throw new LaunchException("MIDTRANS_SNAP_BASE_URL or MIDTRANS_API_BASE_URL is set but MIDTRANS_SERVER_KEY is not."
                    + " Set the server key of that Midtrans, or unset the URLs to use the local simulator.");
        }
        wiring.put("MIDTRANS_SERVER_KEY", SIMULATOR_SERVER_KEY);
        wiring.put("MIDTRANS_CLIENT_KEY", SIMULATOR_CLIENT_KEY);
        wiring.put("MIDTRANS_SNAP_BASE_URL", local(ports.midtransSimulator()));
        wiring.put("MIDTRANS_API_BASE_URL", local(ports.midtransSimulator()));
        return true;
    }

    private static boolean mail(Map<String, String> env, Map<String, String> wiring, List<String> passedThrough, Ports ports) {
        // outside prod the services default to a mocked mailer; whichever SMTP server is used must really get mail
        wiring.put("QUARKUS_MAILER_MOCK", valueOr(env, "QUARKUS_MAILER_MOCK", "false"));
        if (isSet(env, "QUARKUS_MAILER_HOST")) {
            passedThrough.add("Mail: SMTP " + env.get("QUARKUS_MAILER_HOST") + ":" + valueOr(env, "QUARKUS_MAILER_PORT", "(default port)")
                    + " (QUARKUS_MAILER_*)");
            return false;
        }
        wiring.put("QUARKUS_MAILER_HOST", "localhost");
        wiring.put("QUARKUS_MAILER_PORT", String.valueOf(ports.smtp()));
        wiring.put("QUARKUS_MAILER_FROM", valueOr(env, "QUARKUS_MAILER_FROM", "Lunas <no-reply@lunas.local>"));
        wiring.put("QUARKUS_MAILER_TLS", "false");
        wiring.put("QUARKUS_MAILER_START_TLS", "DISABLED");
        wiring.put("QUARKUS_MAILER_MOCK", "false");
        wiring.put("ALERT_EMAIL", valueOr(env, "ALERT_EMAIL", "ops@lunas.local"));
        return true;
    }

    private static boolean whatsApp(Map<String, String> env, Map<String, String> wiring, List<String> passedThrough,
                                    Ports ports) {
        if (isSet(env, "WHATSAPP_API_URL")) {
            passedThrough.add("WhatsApp: " + withoutCredentials(env.get("WHATSAPP_API_URL")) + " (WHATSAPP_*)");
            return false;
        }
        wiring.put("WHATSAPP_API_URL", local(ports.messages()));
        wiring.put("WHATSAPP_TOKEN", WHATSAPP_TOKEN);
        wiring.put("WHATSAPP_PHONE_NUMBER_ID", WHATSAPP_PHONE_NUMBER_ID);
        return true;
    }

    private static Duration startTimeout(Map<String, String> env) {
        String seconds = valueOr(env, "LUNAS_START_TIMEOUT_SECONDS", String.valueOf(DEFAULT_START_TIMEOUT.toSeconds()));
        try {
            long value = Long.parseLong(seconds.trim());
            if (value > 0) {
                return Duration.ofSeconds(value);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new LaunchException("LUNAS_START_TIMEOUT_SECONDS must be a positive number of seconds, not '" + seconds + "'");
    }

    private static double duplicateRate(Map<String, String> env) {
        String rate = valueOr(env, "LUNAS_MIDTRANS_DUPLICATE_RATE", String.valueOf(DEFAULT_DUPLICATE_RATE));
        try {
            double value = Double.parseDouble(rate.trim());
            if (value >= 0 && value <= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new LaunchException("LUNAS_MIDTRANS_DUPLICATE_RATE must be a share between 0 and 1, not '" + rate + "'");
    }

    /** A URL fit to print: user info and password parameters removed. */
    static String withoutCredentials(String url) {
        String shown = url.replaceAll("(?i)([?&;](password|sslpassword)=)[^&;]*", "$1***");
        int scheme = shown.indexOf("://");
        int at = shown.indexOf('@');
        int path = shown.indexOf('/', scheme < 0 ? 0 : scheme + 3);
        if (scheme >= 0 && at > scheme && (path < 0 || at < path)) {
            shown = shown.substring(0, scheme + 3) + "***@" + shown.substring(at + 1);
        }
        return shown;
    }

    static String local(int port) {
        return "http://localhost:" + port;
    }

    private static boolean isSet(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }

    private static String valueOr(Map<String, String> env, String name, String fallback) {
        return isSet(env, name) ? env.get(name) : fallback;
    }
}
