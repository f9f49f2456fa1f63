package dev.lunas.launcher.run;

import java.util.Arrays;

/**
 * The three Lunas services, in start order (order-service answers the others, notification-service relays for
 * both); each name is also its Maven module's folder and its name in docker-compose.yml and deploy/k8s.
 */
public enum Service {

    ORDER("order-service"),
    PAYMENT("payment-service"),
    NOTIFICATION("notification-service");

    private final String moduleName;

    Service(String moduleName) {
        this.moduleName = moduleName;
    }

    public String moduleName() {
        return moduleName;
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
