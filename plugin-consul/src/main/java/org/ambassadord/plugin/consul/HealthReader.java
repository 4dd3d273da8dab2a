package org.ambassadord.plugin.consul;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.ecwid.consul.SingleUrlParameters;
import com.ecwid.consul.UrlParameters;
import com.ecwid.consul.transport.HttpResponse;
import com.ecwid.consul.v1.ConsistencyMode;
import com.ecwid.consul.v1.ConsulRawClient;
import com.ecwid.consul.v1.OperationException;
import com.ecwid.consul.v1.QueryParams;

/**
 * Reads a service's instances with their health from Consul ({@code GET /v1/health/service/…}),
 * one blocking query per call, through the agent's shared HTTP client (the token as a header,
 * abortable on close, the answer capped: see {@link ConsulKvReader}). consul-api's typed health
 * client is not used: its model has no {@code Weights} and its request no {@code filter}.
 *
 * <p><b>Threading.</b> {@link #read(long)} on the watcher thread only; {@link #close()} from any.
 */
final class HealthReader implements AutoCloseable {

    private final ServiceSpec spec;
    private final ConsulLease http;
    private final ConsulRawClient raw;
    private final AgentAddressCheck agentCheck;
    private final String path;

    HealthReader(ServiceSpec spec, Optional<String> token, Optional<ConsulTls> tls, ConsulHttpClients clients,
                 AgentAddressCheck agentCheck) {
        this.spec = spec;
        this.agentCheck = agentCheck;
        ConsulHttpClients.AgentConnection connection = clients.connect(spec.agent(), token, tls, spec.waitTime());
        this.http = connection.lease();
        this.raw = connection.raw();
        this.path = "/v1/health/service/" + KeyPaths.encode(spec.service());
    }

    /**
     * One read of the service's instances.
     *
     * @param index 0 for an immediate answer, else the last {@code X-Consul-Index} to block on
     * @throws OperationException when the agent answers with an error status (an unknown
     *                            {@code dc} is HTTP 500 "No path to datacenter")
     * @throws IllegalArgumentException when the answer is not a list of instances
     * @throws IllegalStateException when the agent's address is denied to this spec
     */
    HealthRead read(long index) {
        agentCheck.check();
        QueryParams.Builder query = QueryParams.Builder.builder()
                .setDatacenter(spec.datacenter().orElse(null))
                .setWaitTime(spec.waitTime().toSeconds())
                .setIndex(index);
        spec.near().ifPresent(query::setNear);
        if (spec.stale()) {
            query.setConsistencyMode(ConsistencyMode.STALE);
        }
        List<UrlParameters> parameters = new ArrayList<>();
        parameters.add(query.build());
        for (String parameter : fixedParameters()) {
            int equals = parameter.indexOf('=');
            parameters.add(equals < 0 ? new SingleUrlParameters(parameter)
                    : new SingleUrlParameters(parameter.substring(0, equals), parameter.substring(equals + 1)));
        }
        HttpResponse response = raw.makeGetRequest(path, parameters);
        if (response.getStatusCode() != 200) {
            throw new OperationException(response);
        }
        return new HealthRead(response.getConsulIndex(), HealthAnswer.parse(response.getContent()));
    }

    /**
     * {@code tag}, {@code node-meta} and {@code filter}. Not {@code passing}: the health rule is
     * applied here, to every instance's checks, so that {@code /status} can count the instances
     * it filtered out and {@code warning}, which Consul has no parameter for, works the same way.
     */
    private List<String> fixedParameters() {
        List<String> parameters = new ArrayList<>();
        spec.tags().forEach(tag -> parameters.add("tag=" + tag));
        spec.nodeMeta().forEach(meta -> parameters.add("node-meta=" + meta));
        spec.filter().ifPresent(filter -> parameters.add("filter=" + filter));
        return parameters;
    }

    /** One answer: its index (null when the header was missing) and what it held. */
    record HealthRead(Long index, HealthAnswer.Parsed answer) {
    }

    @Override
    public void close() {
        http.close();
    }
}
