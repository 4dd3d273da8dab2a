package org.ambassadord.core.plugin;

import java.lang.reflect.Method;

/**
 * Lets a plugin layer's modules call native code (omni mode's {@code getsockopt} through
 * jnr-ffi) without the JDK 22+ "restricted method" warning. The method only exists from JDK
 * 22 on and the build targets 17, hence reflection; on 17-21 native access needs no grant.
 */
final class NativeAccess {

    private static final Method ENABLE = find();

    private NativeAccess() {
    }

    static void enable(ModuleLayer.Controller controller) {
        if (ENABLE == null) {
            return;
        }
        for (Module module : controller.layer().modules()) {
            try {
                ENABLE.invoke(controller, module);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // Without the grant the JDK only warns; loading goes on.
                return;
            }
        }
    }

    private static Method find() {
        try {
            return ModuleLayer.Controller.class.getMethod("enableNativeAccess", Module.class);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
