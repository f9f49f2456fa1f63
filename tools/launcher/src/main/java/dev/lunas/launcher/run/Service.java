package dev.lunas.launcher.run;

import java.util.Arrays;

/**
 * The three Lunas services, in start order (order-service answers the others, notification-service relays for
 * both); each name is also its Maven module's folder and its name in docker-compose.yml and deploy/k8s.
 */
public enum Service {

    ORDER("order-service", "orders"),
    PAYMENT("payment-service", "payments"),
    NOTIFICATION("notification-service", "notifications");

    private final String moduleName;
    private final String schema;

    Service(String moduleName, String schema) {
        this.moduleName = moduleName;
        this.schema = schema;
    }

    public String moduleName() {
        return moduleName;
    }

    /** The PostgreSQL schema the service owns and migrates (its {@code quarkus.flyway.schemas}). */
    public String schema() {
        return schema;
    }

    /** The service whose module is called {@code moduleName}. */
    public static Service named(String moduleName) {
        return Arrays.stream(values()).filter(service -> service.moduleName.equals(moduleName)).findFirst()
                .orElseThrow(() -> new LaunchException("Unknown service '" + moduleName + "'; the services are "
                        + String.join(", ", Arrays.stream(values()).map(Service::moduleName).toList())));
    }

    @Override
    public String toString() {
        return moduleName;
    }
}
