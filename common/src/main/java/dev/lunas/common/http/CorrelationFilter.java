package dev.lunas.common.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Gives every request a correlation id and echoes it back, so a client can quote it to support. */
public class CorrelationFilter {

    private static final String PROPERTY = CorrelationFilter.class.getName();

    @ServerRequestFilter(preMatching = true, priority = 100)
    public void begin(ContainerRequestContext request) {
        request.setProperty(PROPERTY, Correlation.begin(request.getHeaderString(Correlation.HEADER)));
    }

    @ServerResponseFilter
    public void echo(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = request.getProperty(PROPERTY);
        if (id != null) {
            response.getHeaders().putSingle(Correlation.HEADER, id);
        }
    }
}
