package dev.lunas.common.event;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Makes {@link PaymentResultSignature} injectable in the two services that hold the key
 * (LUNAS_RESULT_SIGNING_KEY as {@code lunas.payment-results.signing-key}); a service that never injects it
 * never needs the key.
 */
@ApplicationScoped
public class PaymentResultSigning {

    @Produces
    @Singleton
    PaymentResultSignature signature(@ConfigProperty(name = "lunas.payment-results.signing-key") Optional<String> key) {
        // outside dev and test, RequiredSecrets has already refused to start without a key
        return new PaymentResultSignature(key.orElse(""));
    }
}
