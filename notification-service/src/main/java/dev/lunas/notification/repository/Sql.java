package dev.lunas.notification.repository;

import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Arrays;

/** Small helpers shared by the repositories. */
final class Sql {

    private Sql() {
    }

    static Tuple tuple(Object... values) {
        return Tuple.from(Arrays.asList(values));
    }


    /** Errors are stored bounded: a provider may answer with a page of HTML. */
    static String bounded(String text) {
        if (text == null) {
            return null;
        }
        return text.length() <= 2000 ? text : text.substring(0, 2000);
    }
}
