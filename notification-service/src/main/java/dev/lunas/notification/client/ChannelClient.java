package dev.lunas.notification.client;

import dev.lunas.notification.model.Channel;
import dev.lunas.notification.model.Delivery;
import io.smallrye.mutiny.Uni;
import java.util.Optional;

/** One way out of the service. Implementations never touch the database: the caller records the outcome. */
public interface ChannelClient {

    Channel channel();

    /** Why this channel cannot send the template at all (switched off by configuration), or empty. */
    Optional<String> switchedOff(String template);

    /**
     * Hands the delivery to the provider. Completes with a provider reference for the logs (a Message-ID,
     * a WhatsApp message id, order-service's outcome) or fails, preferably with a {@link DeliveryFailureException}.
     */
    Uni<String> send(Delivery delivery);
}
