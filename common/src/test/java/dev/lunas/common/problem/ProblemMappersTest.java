package dev.lunas.common.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ProblemMappersTest {

    @Test
    void anUnreachableDatabaseOrPeerIsTemporaryWhereverItSitsInTheCauseChain() {
        assertThat(ProblemMappers.isUnreachableDependency(
                new CompletionException(new IllegalStateException("flush failed", new ConnectException("Connection refused")))))
                .isTrue();
        assertThat(ProblemMappers.isUnreachableDependency(ClosedConnectionException.INSTANCE)).isTrue();
        // a pooled connection the restarting database reset under a running statement (seen in fault scenario T4)
        assertThat(ProblemMappers.isUnreachableDependency(new CompletionException(
                new java.net.SocketException("Connection reset")))).as("connection reset").isTrue();
        assertThat(ProblemMappers.isUnreachableDependency(database("57P01"))).as("admin shutdown").isTrue();
        assertThat(ProblemMappers.isUnreachableDependency(database("57P03"))).as("the server is starting").isTrue();
        assertThat(ProblemMappers.isUnreachableDependency(database("08006"))).as("connection failure").isTrue();
    }

    @Test
    void otherFailuresStayInternalErrors() {
        assertThat(ProblemMappers.isUnreachableDependency(new IllegalStateException("a bug"))).isFalse();
        assertThat(ProblemMappers.isUnreachableDependency(database("23505"))).as("unique violation").isFalse();
        assertThat(ProblemMappers.isUnreachableDependency(database("57014"))).as("statement timeout").isFalse();
        assertThat(ProblemMappers.isUnreachableDependency(database(null))).isFalse();
    }

    private static DatabaseException database(String sqlState) {
        return new DatabaseException("server said no", 0, sqlState) {
        };
    }
}
