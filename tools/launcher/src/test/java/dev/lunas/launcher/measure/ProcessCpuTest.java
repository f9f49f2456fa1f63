package dev.lunas.launcher.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessCpuTest {

    @Test
    void procStatFieldsAreReadAfterTheCommandNameWhateverItContains() {
        String line = "21076 (java (order) x) S 1807 21076 1807 0 -1 4194560 91877 0 0 0 1812 340 0 0 20 0 32 0 7431 2923812 88335";

        String[] fields = ProcessCpu.parseStat(line).orElseThrow();

        assertThat(fields[0]).isEqualTo("S");
        assertThat(fields[1]).as("parent").isEqualTo("1807");
        assertThat(fields[11]).as("utime").isEqualTo("1812");
        assertThat(fields[12]).as("stime").isEqualTo("340");
        assertThat(ProcessCpu.parseStat("garbage")).isEmpty();
        assertThat(ProcessCpu.ticks(ProcessHandle.current().pid())).isPositive();
    }
}
