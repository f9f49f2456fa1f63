package dev.lunas.systemtest.faults;

import java.time.Duration;
import java.util.Optional;

/**
 * Settings of a suite run beyond the scale.
 *
 * @param smtpOutage how long T5 keeps the SMTP server away in each variant; empty: the scale's default
 */
public record SuiteOptions(Optional<Duration> smtpOutage) {

    public static SuiteOptions defaults() {
        return new SuiteOptions(Optional.empty());
    }
}
