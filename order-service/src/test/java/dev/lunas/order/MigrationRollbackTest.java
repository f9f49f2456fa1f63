package dev.lunas.order;

import dev.lunas.common.testing.MigrationRollback;
import dev.lunas.common.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/** Every migration of the orders schema (and the shared outbox) can be rolled back to nothing and applied again. */
class MigrationRollbackTest {

    @Test
    void everyMigrationRollsBackCleanly() {
        MigrationRollback.verify(TestDatabase.get(), "orders_rollback_check", "classpath:db/migration", "classpath:db/outbox",
                "classpath:db/ratelimit");
    }
}
