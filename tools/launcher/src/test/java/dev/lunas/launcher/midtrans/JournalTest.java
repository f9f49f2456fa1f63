package dev.lunas.launcher.midtrans;

import static dev.lunas.launcher.midtrans.SimulatorFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lunas.launcher.http.Http;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    private static final Http HTTP = new Http(Duration.ofSeconds(20));

    @TempDir
    Path folder;

    @Test
    void aRestartedSimulatorRemembersItsTransactionsLikeMidtrans() throws Exception {
        Path journal = folder.resolve("midtrans/journal.jsonl");
        JsonNode settledStatus;
        String awaitingToken;
        try (SimulatorFixture before = new SimulatorFixture(settings -> settings.journal(journal))) {
            before.checkout("settled", 99_000);
            before.checkout("settled", 99_000);
            before.simulator.decide("settled", MidtransSimulator.Outcome.SETTLEMENT);
            before.checkout("pending", 150_000);
            before.simulator.decide("pending", MidtransSimulator.Outcome.PENDING);
            awaitingToken = before.checkout("awaiting", 50_000).path("token").asText();
            settledStatus = json(before.status("settled").body());
        }
        Files.writeString(journal, "{\"type\":\"finish\",\"order_id\":\"cut sho", java.nio.file.StandardOpenOption.APPEND);

        try (SimulatorFixture after = new SimulatorFixture(settings -> settings.journal(journal))) {
            assertThat(after.simulator.ledger()).extracting(e -> e.orderId() + ":" + e.status() + ":" + e.tokensIssued())
                    .containsExactlyInAnyOrder("settled:settlement:2", "pending:pending:1", "awaiting:awaiting_choice:1");
            assertThat(json(after.status("settled").body())).isEqualTo(settledStatus);
            assertThat(after.status("awaiting").statusCode()).isEqualTo(404);
            assertThat(HTTP.get(URI.create(after.simulator.baseUrl() + "/snap/v2/vtweb/" + awaitingToken)).statusCode()).isEqualTo(200);
            assertThat(after.snap(SimulatorFixture.order("pending", 150_000)).statusCode()).isEqualTo(400);

            after.simulator.decide("pending", MidtransSimulator.Outcome.SETTLEMENT);
            assertThat(json(after.status("pending").body()).path("transaction_status").asText()).isEqualTo("settlement");
        }
        try (SimulatorFixture third = new SimulatorFixture(settings -> settings.journal(journal))) {
            assertThat(third.simulator.transaction("pending").orElseThrow().status()).isEqualTo("settlement");
            third.simulator.reset();
        }
        try (SimulatorFixture afterReset = new SimulatorFixture(settings -> settings.journal(journal))) {
            assertThat(afterReset.simulator.ledger()).isEmpty();
        }
    }
}
