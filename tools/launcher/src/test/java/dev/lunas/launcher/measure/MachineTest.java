package dev.lunas.launcher.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MachineTest {

    @Test
    void theMachineIsDescribed() {
        Machine machine = Machine.describe();

        assertThat(machine.cores()).isPositive();
        assertThat(machine.jvm()).contains(System.getProperty("java.runtime.version"));
        assertThat(machine.cpu()).isNotBlank();
    }
}
