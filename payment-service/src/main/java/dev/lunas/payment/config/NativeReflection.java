package dev.lunas.payment.config;

import dev.lunas.common.event.OpsAlert;
import dev.lunas.common.event.PaymentResult;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The outbox payloads this service writes with its own ObjectMapper calls (through common's OutboxWriter),
 * which a native build cannot discover from REST signatures.
 */
@RegisterForReflection(targets = {OpsAlert.class, PaymentResult.class})
public final class NativeReflection {

    private NativeReflection() {
    }
}
