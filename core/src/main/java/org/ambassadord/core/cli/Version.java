package org.ambassadord.core.cli;

/** The version of the core module, as built. */
final class Version {

    private Version() {
    }

    static String current() {
        return Version.class.getModule().getDescriptor() != null
                ? Version.class.getModule().getDescriptor().rawVersion().orElse("dev")
                : "dev";
    }
}
