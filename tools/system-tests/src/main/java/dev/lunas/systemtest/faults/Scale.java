package dev.lunas.systemtest.faults;

/**
 * How big a scenario runs. {@link #FULL} uses docs/reliability.md §8's sizes where this machine allows them;
 * {@link #QUICK} runs the whole suite in minutes; {@link #CI} is the smallest size that still proves the point,
 * for the few scenarios that also run as tests.
 */
public enum Scale {
    CI, QUICK, FULL
}
