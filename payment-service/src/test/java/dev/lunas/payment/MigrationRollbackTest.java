package dev.lunas.payment;

import dev.lunas.common.testing.MigrationRollback;
import dev.lunas.common.testing.TestDatabase;
import org.junit.jupiter.api.Test;

class MigrationRollbackTest {

    @Test
    void everyMigrationOfThePaymentsSchemaRollsBackAndReapplies() {
        MigrationRollback.verify(TestDatabase.get(), "payments_rollback_check", "classpath:db/migration", "classpath:db/outbox",
                "classpath:db/ratelimit");
    }
}
