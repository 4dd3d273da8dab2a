package org.ambassadord.plugin.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.ambassadord.spi.Backend;
import org.ambassadord.spi.BackendSpecException;
import org.ambassadord.spi.ClientConnection;
import org.ambassadord.spi.testkit.TestCertificates;
import org.ambassadord.spi.testkit.TestProviderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd with TLS (client certificates required) and with authentication, against the real
 * etcd, configured as etcdctl is ({@code ETCDCTL_CACERT}, {@code ETCDCTL_CERT},
 * {@code ETCDCTL_KEY}, {@code ETCDCTL_USER}); a container's spec to a host that is not a
 * credential host gets neither the certificate nor the user.
 */
class EtcdAccessTest {

    private static final ClientConnection CLIENT = ClientConnection.of(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 10000));

    private static final Duration FIRST_READ_DEADLINE = Duration.ofSeconds(20);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private Backend open(String spec, org.ambassadord.spi.ProviderContext context) throws BackendSpecException {
        Backend backend = new EtcdBackendProvider().open(spec, context);
        toClose.add(backend::close);
        return backend;
    }

    private TestProviderContext context(Map<String, String> environment) {
        TestProviderContext context = new TestProviderContext(environment);
        toClose.add(context::close);
        return context;
    }

    @Test
    void tlsWithAClientCertificateAndTheCredentialRule(@TempDir Path directory) throws Exception {
        TestCertificates certificates = TestCertificates.create(directory);
        EtcdServer etcd = EtcdServer.startNewWithTls(certificates);
        toClose.add(etcd);
        etcd.put("/tls/app/one", "127.0.0.1:7500");
        Map<String, String> environment = Map.of("ETCDCTL_CACERT", certificates.ca().toString(),
                "ETCDCTL_CERT", certificates.clientCert().toString(), "ETCDCTL_KEY", certificates.clientKey().toString());
        String spec = "etcd://" + etcd.tlsEndpoint() + "/tls/app";

        TestProviderContext operator = context(environment);
        awaitFirstRead(open(spec, operator), "127.0.0.1:7500");

        // Without the client certificate (a container's spec, not a credential host): refused by etcd.
        Backend container = open(spec, operator.forContainer("c1", "web"));
        assertThrows(ExecutionException.class, () -> resolve(container));

        Map<String, String> halfCertificate = new HashMap<>(environment);
        halfCertificate.remove("ETCDCTL_KEY");
        BackendSpecException half = assertThrows(BackendSpecException.class, () -> open(spec, context(halfCertificate)));
        assertTrue(half.getMessage().contains("ETCDCTL_CERT and ETCDCTL_KEY go together"), half.getMessage());
        BackendSpecException missing = assertThrows(BackendSpecException.class,
                () -> open(spec, context(Map.of("ETCDCTL_CACERT", directory.resolve("nope.pem").toString()))));
        assertEquals("ETCDCTL_CACERT [" + directory.resolve("nope.pem") + "] is not a readable file", missing.getMessage());
    }

    @Test
    void aUserAndPasswordFromTheEnvironmentAndNeverFromTheSpec() throws Exception {
        EtcdServer etcd = EtcdServer.startNew();
        toClose.add(etcd);
        etcd.put("/auth/app", "127.0.0.1:7600");
        etcd.enableAuth("r00t-pass");
        String spec = "etcd://" + etcd.endpoint() + "/auth/app";

        awaitFirstRead(open(spec, context(Map.of("ETCDCTL_USER", "root:r00t-pass"))), "127.0.0.1:7600");
        awaitFirstRead(open(spec, context(Map.of("ETCDCTL_USER", "root", "ETCDCTL_PASSWORD", "r00t-pass"))),
                "127.0.0.1:7600");

        Backend anonymous = open(spec, context(Map.of()));
        assertThrows(ExecutionException.class, () -> resolve(anonymous), "etcd refuses a read without a user");
        Backend wrong = open(spec, context(Map.of("ETCDCTL_USER", "root:wrong")));
        assertThrows(ExecutionException.class, () -> resolve(wrong));
        BackendSpecException noPassword = assertThrows(BackendSpecException.class,
                () -> open(spec, context(Map.of("ETCDCTL_USER", "root"))));
        assertTrue(noPassword.getMessage().contains("without a password"), noPassword.getMessage());
        assertFalse(EtcdAccess.fromEnvironment(Map.of("ETCDCTL_USER", "root:r00t-pass"), true).toString().contains("r00t"),
                "the password never shows in logs");
    }

    /**
     * The backend's first read through TLS or as a user, however long a loaded machine takes
     * for the handshake: a connection that arrives earlier only waits five seconds.
     */
    private static void awaitFirstRead(Backend backend, String expected) throws Exception {
        BackendProbe.awaitEndpoints(backend, FIRST_READ_DEADLINE, BackendProbe.addresses(expected));
    }

    private static List<InetSocketAddress> resolve(Backend backend) throws Exception {
        return backend.resolve(CLIENT).toCompletableFuture().get(8, TimeUnit.SECONDS);
    }
}
