package dev.lunas.launcher.run;

/** The fixed ports of the local run (kept free of tests, which always use random ports). */
public final class LocalPorts {

    public static final int ORDER_SERVICE = 8081;
    public static final int PAYMENT_SERVICE = 8082;
    public static final int NOTIFICATION_SERVICE = 8083;
    public static final int MIDTRANS_SIMULATOR = 8090;
    public static final int MESSAGES = 8025;
    public static final int SMTP = 2525;
    public static final int POSTGRES = 55432;
    /** The demo storefront: the default STOREFRONT_ORIGIN, http://localhost:3000. */
    public static final int STOREFRONT = 3000;

    private LocalPorts() {
    }
}
