package org.ambassadord.plugin.consul;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.ambassadord.spi.ProviderContext;

import com.ecwid.consul.ConsulException;
import com.ecwid.consul.v1.QueryParams;
import com.ecwid.consul.v1.Response;
import com.ecwid.consul.v1.kv.KeyValueClient;
import com.ecwid.consul.v1.kv.KeyValueConsulClient;
import com.ecwid.consul.v1.kv.model.GetValue;

/**
 * Reads a key prefix from Consul with consul-api, one blocking query per call.
 *
 * <p>consul-api's shared default HTTP client is not used, for three reasons: its read
 * timeout (10 min) equals Consul's longest wait, so a 10-minute wait plus Consul's jitter
 * would time out; it cannot abort one query, which is how {@link #close()} ends a query
 * that blocks for minutes (our {@link ConsulLease} aborts its own request on the agent's
 * shared client); and consul-api sends the ACL token as a {@code ?token=} URL parameter,
 * which ends up in access logs, while a default header on our client sends it as
 * {@code X-Consul-Token}.
 *
 * <p><b>Threading.</b> {@link #read(long)} is called by the watcher thread only and blocks
 * for up to the spec's wait time. {@link #close()} may be called from any thread.
 */
final class ConsulKvReader implements AutoCloseable {

    /** 64 KiB of value once decoded: thousands of endpoints. */
    static final int MAX_ENCODED_VALUE = 4 * (64 << 10) / 3;

    private final ConsulSpec spec;
    private final ConsulLease http;
    private final KeyValueClient kv;
    private final String encodedKey;
    private final AgentAddressCheck agentCheck;

    /**
     * Leases the agent's HTTP client; no I/O happens until {@link #read(long)}.
     *
     * @param spec    the agent, key, datacenter and wait time
     * @param token   the ACL token, when one is configured
     * @param tls     HTTPS, when configured
     * @param clients the HTTP clients shared per agent
     * @param agentCheck the rules the agent's addresses are held to before every query
     */
    ConsulKvReader(ConsulSpec spec, Optional<String> token, Optional<ConsulTls> tls, ConsulHttpClients clients,
                   AgentAddressCheck agentCheck) {
        this.spec = spec;
        this.agentCheck = agentCheck;
        ConsulHttpClients.AgentConnection connection = clients.connect(spec.agent(), token, tls, spec.waitTime());
        this.http = connection.lease();
        this.kv = new KeyValueConsulClient(connection.raw());
        this.encodedKey = KeyPaths.encode(spec.key());
    }

    /**
     * Reads the prefix {@link ConsulSpec#key()} recursively.
     *
     * @param index 0 for an immediate answer, else the last {@code X-Consul-Index}: the call
     *              then blocks until the prefix changes or the wait time elapses
     * @throws ConsulException when Consul cannot be reached or answers with an error status
     * @throws IllegalStateException when the agent's address is denied to this spec
     */
    KvRead read(long index) {
        agentCheck.check();
        QueryParams params = QueryParams.Builder.builder()
                .setDatacenter(spec.datacenter().orElse(null))
                .setWaitTime(spec.waitTime().toSeconds())
                .setIndex(index)
                .build();
        // The token travels as a default header of our HTTP client; see the class comment.
        Response<List<GetValue>> response = kv.getKVValues(encodedKey, null, params);
        List<KvPair> pairs = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        if (response.getValue() != null) {
            for (GetValue value : response.getValue()) {
                pairs.add(new KvPair(value.getKey(), decode(value, refusals)));
            }
        }
        return new KvRead(response.getConsulIndex(), pairs, refusals);
    }

    /**
     * The value as text, or {@code null} (and a one-line refusal naming the key) when it is too
     * long or not base64: say so rather than lose the whole read. The watcher logs refusals once
     * per change and counts them.
     */
    static String decode(GetValue value, List<String> refusals) {
        if (value.getValue() != null && value.getValue().length() > MAX_ENCODED_VALUE) {
            // A backend list is a few hundred bytes; a value this long is hostile or a mistake.
            refusals.add("key [" + ProviderContext.printable(value.getKey()) + "] has a value of "
                    + value.getValue().length() + " bytes (base64), above the 64 KiB a backend list may have; ignored");
            return null;
        }
        try {
            return value.getDecodedValue();
        } catch (IllegalArgumentException e) {
            refusals.add("key [" + ProviderContext.printable(value.getKey()) + "] has a Value that is not base64; ignored");
            return null;
        }
    }

    /** Aborts a blocking query in progress and gives the shared client back. Idempotent. */
    @Override
    public void close() {
        http.close();
    }
}
