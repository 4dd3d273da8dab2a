package org.ambassadord.plugin.consul;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Reads {@code GET /v1/health/service/<service>}: one entry per instance with its node, its
 * service registration and every check of both. The agent's text is untrusted (a container may
 * name the agent): at most {@value #MAX_INSTANCES} instances are read, a port out of range or
 * an entry of the wrong shape is skipped with a reason, never an exception but the one for an
 * answer that is not JSON at all.
 */
final class HealthAnswer {

    /** Far above any service we would balance over one listener. */
    static final int MAX_INSTANCES = 10_000;

    private HealthAnswer() {
    }

    /** The instances and why some entries were skipped. */
    record Parsed(List<ServiceInstance> instances, List<String> skipped) {
    }

    /** @throws IllegalArgumentException when the answer is not a JSON array */
    static Parsed parse(String json) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException | StackOverflowError e) {
            throw new IllegalArgumentException("the agent's answer is not JSON");
        }
        if (!root.isJsonArray()) {
            throw new IllegalArgumentException("the agent's answer is not a list of instances");
        }
        JsonArray entries = root.getAsJsonArray();
        List<ServiceInstance> instances = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        if (entries.size() > MAX_INSTANCES) {
            skipped.add("the answer lists " + entries.size() + " instances; only the first " + MAX_INSTANCES + " are read");
        }
        for (int i = 0; i < Math.min(entries.size(), MAX_INSTANCES); i++) {
            JsonElement entry = entries.get(i);
            if (!entry.isJsonObject()) {
                skipped.add("entry " + i + " is not an object");
                continue;
            }
            ServiceInstance instance = instance(entry.getAsJsonObject(), i, skipped);
            if (instance != null) {
                instances.add(instance);
            }
        }
        return new Parsed(instances, skipped);
    }

    private static ServiceInstance instance(JsonObject entry, int index, List<String> skipped) {
        JsonObject node = object(entry, "Node");
        JsonObject service = object(entry, "Service");
        if (service == null) {
            skipped.add("entry " + index + " has no Service");
            return null;
        }
        String id = text(service, "ID");
        String host = text(service, "Address");
        if (host.isEmpty() && node != null) {
            host = text(node, "Address");
        }
        long port = number(service, "Port", -1);
        if (host.isEmpty() || port < 1 || port > 65535) {
            skipped.add("instance [" + org.ambassadord.spi.ProviderContext.printable(id) + "] has no address or a port out of"
                    + " range (" + port + ")");
            return null;
        }
        List<String> tags = new ArrayList<>();
        JsonElement tagList = service.get("Tags");
        if (tagList != null && tagList.isJsonArray()) {
            for (JsonElement tag : tagList.getAsJsonArray()) {
                if (tag.isJsonPrimitive()) {
                    tags.add(tag.getAsString());
                }
            }
        }
        JsonObject weights = object(service, "Weights");
        int passingWeight = weights == null ? 1 : (int) Math.min(Math.max(number(weights, "Passing", 1), 0), 65535);
        int warningWeight = weights == null ? 1 : (int) Math.min(Math.max(number(weights, "Warning", 1), 0), 65535);
        ServiceInstance.Status status = ServiceInstance.Status.PASSING;
        boolean maintenance = false;
        JsonElement checks = entry.get("Checks");
        if (checks != null && checks.isJsonArray()) {
            for (JsonElement check : checks.getAsJsonArray()) {
                if (!check.isJsonObject()) {
                    continue;
                }
                String checkId = text(check.getAsJsonObject(), "CheckID");
                ServiceInstance.Status checkStatus = ServiceInstance.Status.of(text(check.getAsJsonObject(), "Status"));
                status = status.worse(checkStatus);
                maintenance |= checkStatus == ServiceInstance.Status.CRITICAL
                        && (checkId.equals("_node_maintenance") || checkId.startsWith("_service_maintenance:"));
            }
        }
        return new ServiceInstance(id, node == null ? "" : text(node, "Node"), host, (int) port, tags, status, maintenance,
                passingWeight, warningWeight);
    }

    private static JsonObject object(JsonObject parent, String name) {
        JsonElement value = parent.get(name);
        return value != null && value.isJsonObject() ? value.getAsJsonObject() : null;
    }

    private static String text(JsonObject parent, String name) {
        JsonElement value = parent.get(name);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : "";
    }

    private static long number(JsonObject parent, String name, long absent) {
        JsonElement value = parent.get(name);
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            return absent;
        }
        try {
            return value.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
        } catch (ArithmeticException notAWholeNumber) {
            return absent;
        }
    }
}
