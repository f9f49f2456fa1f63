package dev.lunas.common.http;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Bounds what a JSON body can make the parser do, for every body a service reads: no Lunas message nests
 * deeper than a few levels, holds a number longer than a few digits or a string longer than a few
 * kilobytes, so a hostile body is refused (400, through the problem mappers) before it costs anything.
 * Numbers with a fraction are refused where a whole number is expected instead of being rounded.
 */
@Singleton
public class JsonLimits implements ObjectMapperCustomizer {

    static final int MAX_NESTING_DEPTH = 16;
    static final int MAX_NUMBER_LENGTH = 32;
    static final int MAX_STRING_LENGTH = 16 * 1024;

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .build());
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }
}
