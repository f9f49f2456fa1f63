package dev.lunas.launcher.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lunas.launcher.http.PortInUseException;
import dev.lunas.launcher.http.PortProbe;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalResourcesTest {

    @TempDir
    Path folder;

    @Test
    void aPortHeldOnLoopbackOrOnAllInterfacesIsTaken() throws IOException {
        int port;
        try (ServerSocket loopback = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = loopback.getLocalPort();
            assertThat(PortProbe.isFree(port)).isFalse();
            assertThatThrownBy(() -> PortProbe.requireFree(loopback.getLocalPort(), "order-service"))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessage("Port " + port + " (order-service) is already in use by another process");
        }
        try (ServerSocket everywhere = new ServerSocket()) {
            everywhere.bind(new InetSocketAddress(port));
            assertThat(PortProbe.isFree(port)).isFalse();
        }
        assertThat(PortProbe.isFree(port)).isTrue();
    }

    @Test
    void onlyOneLauncherRunsPerFolder() {
        Path lock = folder.resolve(".lunas/launcher.lock");
        try (LauncherLock first = LauncherLock.acquire(lock)) {
            assertThatThrownBy(() -> LauncherLock.acquire(lock))
                    .isInstanceOf(LaunchException.class)
                    .hasMessageContaining("already running here (pid " + ProcessHandle.current().pid() + ")");
        }
        LauncherLock.acquire(lock).close();
    }
}
