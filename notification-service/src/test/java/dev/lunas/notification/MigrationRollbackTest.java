package dev.lunas.notification;

import dev.lunas.common.testing.MigrationRollback;
import dev.lunas.common.testing.TestDatabase;
import org.junit.jupiter.api.Test;

class MigrationRollbackTest {

    @Test
    void everyMigrationRollsBackCleanlyAndAppliesAgain() {
        MigrationRollback.verify(TestDatabase.get(), "notifications_rollback_check", "classpath:db/migration",
                "classpath:db/ratelimit");
    }
}
