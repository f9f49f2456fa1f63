package dev.lunas.systemtest.faults;

/** One pass criterion of a scenario and what was measured against it. */
public record Check(String what, boolean passed, String detail) {
}
