package dev.lunas.notification;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * notification-service keeps its state through the Vert.x PostgreSQL client alone: the shared code it depends on
 * must not bring Hibernate along (that is what {@code common-persistence} is for).
 */
class PersistenceStackTest {

    @Test
    void noHibernateReactiveOnTheClasspath() {
        assertThatThrownBy(() -> Class.forName("org.hibernate.reactive.mutiny.Mutiny"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("org.hibernate.Session")).isInstanceOf(ClassNotFoundException.class);
    }
}
