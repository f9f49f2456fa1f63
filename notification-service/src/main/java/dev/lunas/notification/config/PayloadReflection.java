package dev.lunas.notification.config;

import dev.lunas.common.event.Customer;
import dev.lunas.common.event.OpsAlert;
import dev.lunas.common.event.OrderCreated;
import dev.lunas.common.event.OrderExpired;
import dev.lunas.common.event.OrderPaid;
import dev.lunas.common.event.PaymentInstructions;
import dev.lunas.common.event.PaymentResult;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The event payloads this service reads with its own ObjectMapper calls, which a native image must keep. */
@RegisterForReflection(targets = {PaymentInstructions.class, OrderPaid.class, OrderExpired.class, OrderCreated.class,
        PaymentResult.class, OpsAlert.class, Customer.class})
public final class PayloadReflection {

    private PayloadReflection() {
    }
}
