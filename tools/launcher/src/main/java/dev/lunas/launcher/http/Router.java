package dev.lunas.launcher.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dispatches requests of a JDK {@code HttpServer} by method and path pattern. Failures the routes do not
 * answer themselves (no route, wrong method, oversized body, a bug) go to the server's {@link Errors}, so
 * each fake answers them in the format of the system it imitates.
 */
public final class Router implements HttpHandler {

    @FunctionalInterface
    public interface Route {
        void handle(Exchange exchange) throws IOException;
    }

    /** How a server words a refusal: Midtrans, the Graph API and a web page each have their own format. */
    @FunctionalInterface
    public interface Errors {
        void send(Exchange exchange, int status, String reason) throws IOException;
    }

    private record Entry(String method, Pattern path, Route route) {
    }

    private static final System.Logger LOG = System.getLogger(Router.class.getName());
    private static final Pattern ANY = Pattern.compile(".*");

    private final List<Entry> entries = new ArrayList<>();
    private final Errors errors;

    public Router(Errors errors) {
        this.errors = errors;
    }

    public Router get(String pathPattern, Route route) {
        return on("GET", pathPattern, route);
    }

    public Router post(String pathPattern, Route route) {
        return on("POST", pathPattern, route);
    }

    public Router put(String pathPattern, Route route) {
        return on("PUT", pathPattern, route);
    }

    public Router delete(String pathPattern, Route route) {
        return on("DELETE", pathPattern, route);
    }

    private Router on(String method, String pathPattern, Route route) {
        entries.add(new Entry(method, Pattern.compile(pathPattern), route));
        return this;
    }

    @Override
    public void handle(HttpExchange raw) {
        try (raw) {
            String path = raw.getRequestURI().getRawPath();
            boolean pathKnown = false;
            for (Entry entry : entries) {
                Matcher matcher = entry.path.matcher(path);
                if (!matcher.matches()) {
                    continue;
                }
                pathKnown = true;
                if (entry.method.equals(raw.getRequestMethod())) {
                    dispatch(entry.route, new Exchange(raw, matcher));
                    return;
                }
            }
            Exchange unmatched = new Exchange(raw, matchAll(path));
            if (pathKnown) {
                errors.send(unmatched, 405, "Method " + raw.getRequestMethod() + " is not allowed here");
            } else {
                errors.send(unmatched, 404, "Nothing at " + path);
            }
        } catch (IOException | RuntimeException e) {
            // the client went away mid-answer, or the answer itself failed: nothing more can be sent
        }
    }

    private void dispatch(Route route, Exchange exchange) throws IOException {
        try {
            route.handle(exchange);
        } catch (Exchange.BodyTooLargeException e) {
            errors.send(exchange, 413, e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Request " + exchange.method() + " failed", e);
            errors.send(exchange, 500, "Internal error: " + e.getClass().getSimpleName());
        }
    }

    private static Matcher matchAll(String path) {
        Matcher matcher = ANY.matcher(path);
        matcher.matches();
        return matcher;
    }
}
