package dev.lunas.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventLogTest {

    private final List<ExtLogRecord> records = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add((ExtLogRecord) record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        Logger.getLogger(EventLogTest.class.getName()).addHandler(capture);
    }

    @AfterEach
    void stop() {
        Logger.getLogger(EventLogTest.class.getName()).removeHandler(capture);
    }

    @Test
    void eachLineCarriesItsBusinessFieldsOnTheRecord() {
        EventLog.of(EventLogTest.class, "checkout").info("ORDER_CREATED", "order-1", "Order created for %s", "b***@x.com");

        assertThat(records).hasSize(1);
        ExtLogRecord record = records.get(0);
        assertThat(record.getMdc("component")).isEqualTo("checkout");
        assertThat(record.getMdc("event_type")).isEqualTo("ORDER_CREATED");
        assertThat(record.getMdc("order_id")).isEqualTo("order-1");
        assertThat(record.getMdc("alert")).isNull();
        assertThat(record.getFormattedMessage()).isEqualTo("Order created for b***@x.com");
    }

    @Test
    void criticalLinesAreMarkedForPaging() {
        EventLog.of(EventLogTest.class, "payments").critical("LATE_SETTLEMENT", null, "Money for a closed order");

        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.getLevel().getName()).isEqualTo("ERROR");
            assertThat(record.getMdc("alert")).isEqualTo("critical");
            assertThat(record.getMdc("order_id")).isNull();
        });
    }
}
