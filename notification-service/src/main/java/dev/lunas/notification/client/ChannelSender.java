package dev.lunas.notification.client;

import dev.lunas.notification.entity.Channel;
import dev.lunas.notification.entity.Delivery;
import io.smallrye.mutiny.Uni;
import java.util.Optional;

/** One way out of the service. Implementations never touch the database: the caller records the outcome. */
public interface ChannelSender {

    Channel channel();

    /** Why this channel cannot send the template at all (switched off by configuration), or empty. */
    Optional<String> switchedOff(String template);

    /**
     * Hands the delivery to the provider. Completes with a provider reference for the logs (a Message-ID,
     * a WhatsApp message id, order-service's outcome) or fails, preferably with a {@link DeliveryFailure}.
     */
    Uni<String> send(Delivery delivery);
}
