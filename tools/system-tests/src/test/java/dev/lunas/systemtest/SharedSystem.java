package dev.lunas.systemtest;

import dev.lunas.systemtest.harness.SystemSettings;
import dev.lunas.systemtest.harness.SystemUnderTest;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link SystemUnderTest} for the whole test run: JVM starts are what costs, so the system boots once
 * and every test class works on its own customers and orders. A class that stops or kills a service
 * finds it started again by the next class; the system is closed when the run ends.
 */
public final class SharedSystem implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedSystem.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        system(context).ensureRunning();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SystemUnderTest.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return system(context);
    }

    private static SystemUnderTest system(ExtensionContext context) {
        // the root store closes what it holds (SystemUnderTest is AutoCloseable) once every test has run
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(SystemUnderTest.class,
                key -> SystemUnderTest.start(SystemSettings.fromSystemProperties().build()), SystemUnderTest.class);
    }
}
