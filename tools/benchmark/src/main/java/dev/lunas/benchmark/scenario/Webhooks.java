package dev.lunas.benchmark.scenario;

import dev.lunas.benchmark.load.Call;
import dev.lunas.benchmark.load.Outcome;
import dev.lunas.launcher.http.Http;
import dev.lunas.launcher.midtrans.MidtransSimulator;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Queue;

/**
 * Midtrans notifications for existing payment attempts, as the simulator signs them: for each order its
 * {@code pending} and then its {@code settlement} notification, one after the other, sent by the load generator at
 * its own pace to {@code POST /webhooks/midtrans}.
 */
final class Webhooks {

    private final Http http;
    private final URI webhook;
    private final MidtransSimulator midtrans;
    private final Queue<String> orders;
    private final Deque<String> ready = new ArrayDeque<>();

    Webhooks(Http http, URI paymentService, MidtransSimulator midtrans, Queue<String> orders) {
        this.http = http;
        this.webhook = paymentService.resolve("/webhooks/midtrans");
        this.midtrans = midtrans;
        this.orders = orders;
    }

    /** Each call sends the next notification; none is left once every order's attempt is settled. */
    Call notifications() {
        return sequence -> {
            String body = next();
            if (body == null) {
                return null;
            }
            return http.postJsonAsync(webhook, body).thenApply(answer -> answer.statusCode() == 200
                    ? Outcome.success("200")
                    : Outcome.other(String.valueOf(answer.statusCode())));
        };
    }

    /** The orders whose notifications have not all been handed out yet. */
    int remainingOrders() {
        return orders.size();
    }

    private synchronized String next() {
        if (ready.isEmpty()) {
            String order = orders.poll();
            if (order == null) {
                return null;
            }
            List<String> bodies = midtrans.decideAndHandOver(order, MidtransSimulator.Outcome.SETTLEMENT);
            ready.addAll(bodies);
        }
        return ready.poll();
    }
}
