package dev.lunas.launcher.run;

import dev.lunas.launcher.http.PortProbe;

/**
 * The TCP ports a {@link LocalSystem} listens on. {@code ./lunas run} uses the fixed {@link #LOCAL_RUN} ports a
 * person can remember; a run beside it (the benchmark, a test) asks for {@link #free()} ones so the two never
 * collide.
 */
public record Ports(int orderService, int paymentService, int notificationService, int midtransSimulator,
                    int messages, int smtp, int postgres, int storefront) {

    public static final Ports LOCAL_RUN = new Ports(LocalPorts.ORDER_SERVICE, LocalPorts.PAYMENT_SERVICE,
            LocalPorts.NOTIFICATION_SERVICE, LocalPorts.MIDTRANS_SIMULATOR, LocalPorts.MESSAGES, LocalPorts.SMTP,
            LocalPorts.POSTGRES, LocalPorts.STOREFRONT);

    /** Eight distinct ports nothing listens on right now (see {@link PortProbe#freeListenPort()}). */
    public static Ports free() {
        return new Ports(PortProbe.freeListenPort(), PortProbe.freeListenPort(), PortProbe.freeListenPort(),
                PortProbe.freeListenPort(), PortProbe.freeListenPort(), PortProbe.freeListenPort(), PortProbe.freeListenPort(),
                PortProbe.freeListenPort());
    }

    /** The HTTP port of a service (of its first replica, when it runs more than one). */
    public int service(Service service) {
        return switch (service) {
            case ORDER -> orderService;
            case PAYMENT -> paymentService;
            case NOTIFICATION -> notificationService;
        };
    }
}
