package dev.lunas.systemtest.harness;

/** The three Lunas services; each name is also its Maven module's folder. */
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

    @Override
    public String toString() {
        return moduleName;
    }
}
