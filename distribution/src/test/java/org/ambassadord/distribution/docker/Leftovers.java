package org.ambassadord.distribution.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes what an earlier run of the suite left behind when its JVM was killed before its
 * clean-up ran: containers named {@code ambd-e2e-<pid>-…} and images tagged
 * {@code ambassadord:e2e-<pid>} whose process is gone. A run that is still going (another
 * build on the same engine) keeps its own.
 */
final class Leftovers {

    static final String CONTAINER_PREFIX = "ambd-e2e-";
    static final String IMAGE_TAG_PREFIX = "ambassadord:e2e-";
    private static final Pattern CONTAINER = Pattern.compile(Pattern.quote(CONTAINER_PREFIX) + "(\\d+)-.*");
    private static final Pattern IMAGE = Pattern.compile(Pattern.quote(IMAGE_TAG_PREFIX) + "(\\d+)");

    private Leftovers() {
    }

    static void removeThoseOfEndedRuns() {
        List<String> containers = ofEndedRuns(Docker.ok("ps", "--all", "--format", "{{.Names}}",
                "--filter", "name=^/" + CONTAINER_PREFIX), CONTAINER);
        if (!containers.isEmpty()) {
            System.out.println("removing containers of ended test runs: " + containers);
            remove("rm", containers);
        }
        List<String> images = ofEndedRuns(Docker.ok("images", "--format", "{{.Repository}}:{{.Tag}}", "ambassadord"), IMAGE);
        if (!images.isEmpty()) {
            System.out.println("removing images of ended test runs: " + images);
            remove("rmi", images);
        }
    }

    private static List<String> ofEndedRuns(String names, Pattern pattern) {
        List<String> ended = new ArrayList<>();
        for (String name : names.split("\\s+")) {
            Matcher matcher = pattern.matcher(name);
            if (matcher.matches() && ProcessHandle.of(Long.parseLong(matcher.group(1))).isEmpty()) {
                ended.add(name);
            }
        }
        return ended;
    }

    private static void remove(String command, List<String> names) {
        List<String> arguments = new ArrayList<>(List.of(command, "--force"));
        arguments.addAll(names);
        Docker.Result removed = Docker.run(arguments.toArray(String[]::new));
        if (!removed.succeeded()) {
            System.err.println("cannot remove leftovers: " + removed.describe());
        }
    }
}
