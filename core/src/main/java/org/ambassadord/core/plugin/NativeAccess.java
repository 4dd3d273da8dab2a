package org.ambassadord.core.plugin;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Lets a plugin layer's modules call native code (omni mode's {@code getsockopt} through
 * jnr-ffi) without the JDK 22+ "restricted method" warning. The method only exists from JDK
 * 22 on and the sources still build on 17 (bench/run compares the two), hence a look-up; on
 * 17-21 native access needs no grant.
 *
 * <p>A method handle, not {@code Method.invoke}: reflection decides whether a method is
 * caller-sensitive by parsing its annotations, which makes the JVM generate a proxy class per
 * annotation type ({@code @CallerSensitive}, {@code @Restricted}) on every start, about 10 ms
 * that no AOT cache can hold (docs/PERFORMANCE.md); a method handle asks the VM instead.
 */
final class NativeAccess {

    private static final MethodHandle ENABLE = find();

    private NativeAccess() {
    }

    static void enable(ModuleLayer.Controller controller) {
        if (ENABLE == null) {
            return;
        }
        for (Module module : controller.layer().modules()) {
            try {
                ENABLE.invoke(controller, module);
            } catch (Throwable e) {
                // Without the grant the JDK only warns; loading goes on.
                return;
            }
        }
    }

    private static MethodHandle find() {
        try {
            return MethodHandles.lookup().findVirtual(ModuleLayer.Controller.class, "enableNativeAccess",
                    MethodType.methodType(ModuleLayer.Controller.class, Module.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }
}
