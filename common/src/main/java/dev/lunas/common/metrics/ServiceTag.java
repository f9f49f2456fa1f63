package dev.lunas.common.metrics;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Tags every meter with the emitting service. The tag is deliberately not called {@code job} or
 * {@code instance}: Prometheus sets those itself and would rename ours to {@code exported_*}.
 */
public class ServiceTag {

    @Produces
    @Singleton
    public MeterFilter serviceTag(@ConfigProperty(name = "quarkus.application.name") String service) {
        return MeterFilter.commonTags(List.of(Tag.of("service", service)));
    }
}
