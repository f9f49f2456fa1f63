package dev.lunas.launcher.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LogSummaryTest {

    private static final String ROUTINE = "{\"timestamp\":\"2026-11-21T22:03:05Z\",\"loggerName\":\"org.flywaydb.core.FlywayExecutor\","
            + "\"level\":\"INFO\",\"message\":\"Database: jdbc:postgresql://localhost:55432/lunas\",\"mdc\":{},\"service\":\"order-service\"}";
    private static final String BUSINESS = "{\"loggerName\":\"dev.lunas.order.service.CheckoutService\",\"level\":\"INFO\","
            + "\"message\":\"Order created for b***@example.com\",\"mdc\":{\"component\":\"checkout\",\"event_type\":\"ORDER_CREATED\","
            + "\"order_id\":\"0193aa\"}}";
    private static final String STARTED = "{\"loggerName\":\"io.quarkus\",\"level\":\"INFO\",\"message\":\"order-service 1.0.0 on JVM "
            + "(powered by Quarkus 3.32.2) started in 2.1s. Listening on: http://0.0.0.0:8081\",\"mdc\":{}}";
    private static final String FAILURE = "{\"loggerName\":\"dev.lunas.payment\",\"level\":\"ERROR\",\"message\":\"Webhook failed\","
            + "\"mdc\":{},\"exception\":{\"exceptionType\":\"java.lang.IllegalStateException\",\"message\":\"boom\",\"frames\":[]}}";

    private final LogSummary summary = new LogSummary(false);

    @Test
    void routineLinesStayInTheLogFile() {
        assertThat(summary.summarize(ROUTINE)).isEmpty();
        assertThat(summary.summarize("\tat java.base/java.lang.Thread.run(Thread.java:840)")).isEmpty();
        assertThat(summary.summarize("")).isEmpty();
    }

    @Test
    void businessEventsWarningsAndTheStartLineReachTheConsole() {
        assertThat(summary.summarize(BUSINESS)).hasValue("[ORDER_CREATED order 0193aa] Order created for b***@example.com");
        assertThat(summary.summarize(STARTED)).hasValueSatisfying(line -> assertThat(line).contains("started in 2.1s"));
        assertThat(summary.summarize(FAILURE)).hasValue("ERROR Webhook failed — java.lang.IllegalStateException: boom");
        assertThat(summary.summarize(ROUTINE.replace("\"INFO\"", "\"WARN\""))).hasValueSatisfying(line -> assertThat(line).startsWith("WARN "));
    }

    @Test
    void aFailureReportKeepsTheErrorsAndCausesAndDropsStackFrames() {
        String jsonFailure = "{\"loggerName\":\"io.quarkus.runtime.Application\",\"level\":\"ERROR\",\"message\":\"Failed to start application\","
                + "\"mdc\":{},\"exception\":{\"exceptionType\":\"java.lang.RuntimeException\",\"message\":\"Failed to start quarkus\","
                + "\"causedBy\":{\"exception\":{\"exceptionType\":\"java.net.ConnectException\",\"message\":\"Connection refused\"}}}}";
        List<String> log = List.of(
                ROUTINE,
                "22:15:49,184 ERROR [io.qua.run.Quarkus] Error running Quarkus: java.lang.ExceptionInInitializerError",
                "\tat java.base/jdk.internal.misc.Unsafe.allocateInstance(Native Method)",
                "Caused by: java.nio.file.NoSuchFileException: /work/lib/main/wildfly-common-2.0.1.jar",
                "\tat java.base/java.util.zip.ZipFile.<init>(ZipFile.java:251)",
                "\t... 23 more",
                jsonFailure);

        assertThat(LogSummary.failureReport(log, 3)).containsExactly(
                "22:15:49,184 ERROR [io.qua.run.Quarkus] Error running Quarkus: java.lang.ExceptionInInitializerError",
                "Caused by: java.nio.file.NoSuchFileException: /work/lib/main/wildfly-common-2.0.1.jar",
                "ERROR Failed to start application — java.lang.RuntimeException: Failed to start quarkus"
                        + " (caused by java.net.ConnectException: Connection refused)");
        assertThat(LogSummary.failureReport(log, 10)).hasSize(4).first().asString().startsWith("Database:");
    }

    @Test
    void verboseShowsEveryLine() {
        LogSummary verbose = new LogSummary(true);

        assertThat(verbose.summarize(ROUTINE)).hasValue("Database: jdbc:postgresql://localhost:55432/lunas");
        assertThat(verbose.summarize("Exception in thread \"main\"")).hasValue("Exception in thread \"main\"");
    }
}
