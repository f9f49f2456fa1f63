package dev.lunas.common.problem;

import java.time.Duration;
import java.util.List;

/**
 * Thrown by services for an expected, client-visible failure; rendered as problem+json by
 * {@link ProblemMappers}. Carries no stack trace: it is control flow, not a bug.
 */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final Duration retryAfter;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    public ProblemException(Problem problem, Duration retryAfter) {
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    public Problem problem() {
        return problem;
    }

    /** When set, the answer carries a {@code Retry-After} header: the client may repeat the request unchanged. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public static ProblemException badRequest(String slug, String detail) {
        return new ProblemException(Problem.of(400, slug, "Bad request", detail));
    }

    public static ProblemException invalid(String detail, List<Problem.FieldError> errors) {
        return new ProblemException(Problem.of(400, "validation-failed", "Invalid request", detail).withErrors(errors));
    }

    public static ProblemException unauthorized(String slug, String detail) {
        return new ProblemException(Problem.of(401, slug, "Unauthorized", detail));
    }

    public static ProblemException notFound(String slug, String detail) {
        return new ProblemException(Problem.of(404, slug, "Not found", detail));
    }

    public static ProblemException conflict(String slug, String detail) {
        return new ProblemException(Problem.of(409, slug, "Conflict", detail));
    }

    public static ProblemException conflict(String slug, String detail, Duration retryAfter) {
        return new ProblemException(Problem.of(409, slug, "Conflict", detail), retryAfter);
    }

    public static ProblemException unprocessable(String slug, String detail) {
        return new ProblemException(Problem.of(422, slug, "Unprocessable request", detail));
    }

    public static ProblemException unavailable(String slug, String detail, Duration retryAfter) {
        return new ProblemException(Problem.of(503, slug, "Service unavailable", detail), retryAfter);
    }
}
