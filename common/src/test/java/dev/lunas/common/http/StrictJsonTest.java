package dev.lunas.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Issue 8, defect 1 for every JSON body: nesting, number and string sizes are bounded before anything is built. */
class StrictJsonTest {

    private final ObjectMapper json = customized();

    record Amount(long amount) {
    }

    @Test
    void hostileBodiesAreRefusedByTheParser() {
        assertThatThrownBy(() -> json.readTree("[".repeat(1000) + "]".repeat(1000)))
                .isInstanceOf(JsonProcessingException.class).hasMessageContaining("nesting depth");
        assertThatThrownBy(() -> json.readTree("{\"a\":" + "9".repeat(1000) + "}"))
                .isInstanceOf(JsonProcessingException.class).hasMessageContaining("Number value length");
        assertThatThrownBy(() -> json.readTree("{\"a\":\"" + "x".repeat(StrictJson.MAX_STRING_LENGTH + 1) + "\"}"))
                .isInstanceOf(JsonProcessingException.class).hasMessageContaining("String value length");
        assertThatThrownBy(() -> json.readValue("{\"amount\":1E+300000000}", Amount.class))
                .isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> json.readValue("{\"amount\":99000.5}", Amount.class))
                .isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> json.readValue("{\"amount\":\"99000\"}", Amount.class))
                .isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> json.readValue("{\"amount\":1,\"amount\":2}", Amount.class))
                .isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void ordinaryBodiesStillRead() throws Exception {
        assertThat(json.readValue("{\"amount\":99000}", Amount.class).amount()).isEqualTo(99000);
        assertThat(json.readTree("{\"a\":{\"b\":[1,2,{\"c\":\"" + "x".repeat(1000) + "\"}]}}").isObject()).isTrue();
    }

    private static ObjectMapper customized() {
        ObjectMapper mapper = new ObjectMapper();
        new StrictJson().customize(mapper);
        return mapper;
    }
}
