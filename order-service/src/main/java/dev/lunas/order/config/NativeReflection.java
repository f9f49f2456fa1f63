package dev.lunas.order.config;

import dev.lunas.common.event.Customer;
import dev.lunas.common.event.OpsAlert;
import dev.lunas.common.event.OrderCreated;
import dev.lunas.common.event.OrderExpired;
import dev.lunas.common.event.OrderPaid;
import dev.lunas.common.event.PaymentInstructions;
import dev.lunas.common.event.PaymentResult;
import dev.lunas.common.problem.Problem;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Types this service serialises or parses with its own ObjectMapper calls (outbox payloads, stored
 * checkout answers, relayed payment results), which a native build cannot discover from REST signatures.
 */
@RegisterForReflection(targets = {Customer.class, OpsAlert.class, OrderCreated.class, OrderExpired.class,
        OrderPaid.class, PaymentInstructions.class, PaymentResult.class, Problem.class, Problem.FieldError.class})
public final class NativeReflection {

    private NativeReflection() {
    }
}
