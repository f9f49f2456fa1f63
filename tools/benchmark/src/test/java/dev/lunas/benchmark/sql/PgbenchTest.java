package dev.lunas.benchmark.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PgbenchTest {

    /** The end of what pgbench 15 prints for a custom script. */
    private static final String OUTPUT = """
            pgbench (15.20 (Debian 15.20-0+deb12u1), server 17.6)
            transaction type: /work/main/.lunas/bench/pgbench/checkout.pgbench
            scaling factor: 1
            query mode: prepared
            number of clients: 10
            number of threads: 2
            maximum number of tries: 1
            duration: 15 s
            number of transactions actually processed: 8650
            number of failed transactions: 0 (0.000%)
            latency average = 17.331 ms
            initial connection time = 21.440 ms
            tps = 576.985012 (without initial connection time)
            """;

    @Test
    void readsThroughputTransactionsFailuresAndLatency() {
        Pgbench.Result result = Pgbench.parse(OUTPUT, 10, 15, "prepared");

        assertThat(result.tps()).isEqualTo(576.985012);
        assertThat(result.transactions()).isEqualTo(8650);
        assertThat(result.failed()).isZero();
        assertThat(result.latencyAverageMs()).isEqualTo(17.331);
        assertThat(result.clients()).isEqualTo(10);
        assertThat(result.mode()).isEqualTo("prepared");
        assertThat(result.output()).isEqualTo(OUTPUT);
    }

    @Test
    void anAbortedRunHasNothingToRead() {
        Pgbench.Result result = Pgbench.parse("pgbench: error: client 3 aborted in command 7 (SQL) of script 0; ERROR:  boom\n", 10, 15,
                "prepared");

        assertThat(result.transactions()).isZero();
        assertThat(result.tps()).isZero();
    }
}
