package dev.lunas.launcher.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The TCP ports a {@link LocalSystem} listens on. {@code ./lunas run} uses the fixed {@link #LOCAL_RUN} ports a
 * person can remember; a run beside it (the benchmark, a test) asks for {@link #free()} ones so the two never
 * collide.
 */
public record Ports(int orderService, int paymentService, int notificationService, int midtransSimulator,
                    int messages, int smtp, int postgres) {

    public static final Ports LOCAL_RUN = new Ports(LocalPorts.ORDER_SERVICE, LocalPorts.PAYMENT_SERVICE,
            LocalPorts.NOTIFICATION_SERVICE, LocalPorts.MIDTRANS_SIMULATOR, LocalPorts.MESSAGES, LocalPorts.SMTP,
            LocalPorts.POSTGRES);

    /**
     * Seven distinct ports nothing listens on right now, chosen by the operating system. They are released again
     * before this returns, so in principle another process could take one before the system binds it; starting
     * then fails with a clear "port in use" message.
     */
    public static Ports free() {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[7];
            for (int i = 0; i < ports.length; i++) {
                ServerSocket socket = new ServerSocket();
                held.add(socket);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ports[i] = socket.getLocalPort();
            }
            return new Ports(ports[0], ports[1], ports[2], ports[3], ports[4], ports[5], ports[6]);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find free TCP ports on the loopback interface", e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // only probing
                }
            }
        }
    }

    /** The HTTP port of a service, by its name (its module folder). */
    public int service(String name) {
        return switch (name) {
            case "order-service" -> orderService;
            case "payment-service" -> paymentService;
            case "notification-service" -> notificationService;
            default -> throw new IllegalArgumentException("Unknown service '" + name + "'");
        };
    }
}
