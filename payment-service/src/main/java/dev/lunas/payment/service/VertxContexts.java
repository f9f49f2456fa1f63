package dev.lunas.payment.service;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Executor;

/**
 * Brings a pipeline back onto the caller's Vert.x context after a fault-tolerant HTTP call, whose
 * timeout or retry may complete elsewhere: the reactive Hibernate session must be used from the
 * context that opened it.
 */
final class VertxContexts {

    private VertxContexts() {
    }

    static Executor current() {
        Context context = Vertx.currentContext();
        if (context == null) {
            return Runnable::run;
        }
        return command -> context.runOnContext(ignored -> command.run());
    }
}
