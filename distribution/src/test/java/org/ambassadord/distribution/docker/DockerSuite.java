package org.ambassadord.distribution.docker;

import java.util.Locale;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each end-to-end test class its {@link Containers}: checks that an engine answers,
 * makes the images once per run (shared in the root store, so the image under test is
 * removed when the whole run ends), and removes the class's containers after its last test,
 * whether it passed or not.
 */
final class DockerSuite implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DockerSuite.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Docker.requireEngine();
        TestImages images = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(TestImages.class, key -> TestImages.prepare(), TestImages.class);
        String prefix = Leftovers.CONTAINER_PREFIX + ProcessHandle.current().pid() + "-"
                + context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT);
        Containers containers = new Containers(prefix, images.underTest());
        containers.close(); // those of an ended run whose process had the same id
        context.getStore(NAMESPACE).put(Containers.class, containers);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Containers containers = context.getStore(NAMESPACE).remove(Containers.class, Containers.class);
        if (containers != null) {
            containers.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Containers.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).get(Containers.class, Containers.class);
    }
}
