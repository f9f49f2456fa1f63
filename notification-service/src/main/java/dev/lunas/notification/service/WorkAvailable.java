package dev.lunas.notification.service;

import dev.lunas.notification.model.Channel;
import java.util.EnumSet;
import java.util.Set;

/**
 * Fired after a commit that made work (a relay batch made deliveries, an operator requeued something):
 * the relay and/or these channels' lanes should look now rather than at the next poll, whoever ran the
 * transaction. A requeued outbox row fires no NOTIFY, so this is what wakes the relay for it.
 */
public record WorkAvailable(boolean relay, Set<Channel> channels) {

    public static WorkAvailable deliveries(Set<Channel> channels) {
        return new WorkAvailable(false, channels);
    }

    public static WorkAvailable everywhere() {
        return new WorkAvailable(true, EnumSet.allOf(Channel.class));
    }
}
