package org.ambassadord.spi.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway PKI for TLS tests, made with the {@code openssl} command at test time: a CA, a
 * server certificate for {@code 127.0.0.1} and {@code localhost}, and a client certificate,
 * all signed by the CA; keys are unencrypted PKCS#8 PEM (what Consul, etcd and the JDK read).
 *
 * @param ca         the CA certificate
 * @param serverCert the server's certificate
 * @param serverKey  the server's key
 * @param clientCert a client certificate (CN {@code ambassadord})
 * @param clientKey  its key
 */
public record TestCertificates(Path ca, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {

    /** Makes the files in {@code directory}; fails saying what to install without openssl. */
    public static TestCertificates create(Path directory) throws IOException, InterruptedException {
        Path caKey = directory.resolve("ca-key.pem");
        Path ca = directory.resolve("ca.pem");
        openssl(directory, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=ambassadord test CA",
                "-keyout", caKey.toString(), "-out", ca.toString());
        Path extensions = directory.resolve("server.ext");
        Files.writeString(extensions, "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                + "extendedKeyUsage=serverAuth,clientAuth\n");
        Path serverKey = directory.resolve("server-key.pem");
        Path serverCert = directory.resolve("server.pem");
        signed(directory, "/CN=localhost", serverKey, serverCert, ca, caKey, extensions);
        Path clientExtensions = directory.resolve("client.ext");
        Files.writeString(clientExtensions, "extendedKeyUsage=clientAuth\n");
        Path clientKey = directory.resolve("client-key.pem");
        Path clientCert = directory.resolve("client.pem");
        signed(directory, "/CN=ambassadord", clientKey, clientCert, ca, caKey, clientExtensions);
        return new TestCertificates(ca, serverCert, serverKey, clientCert, clientKey);
    }

    private static void signed(Path directory, String subject, Path key, Path cert, Path ca, Path caKey, Path extensions)
            throws IOException, InterruptedException {
        Path request = directory.resolve(key.getFileName() + ".csr");
        openssl(directory, "req", "-newkey", "rsa:2048", "-nodes", "-subj", subject, "-keyout", key.toString(),
                "-out", request.toString());
        openssl(directory, "x509", "-req", "-in", request.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-days", "2", "-extfile", extensions.toString(), "-out", cert.toString());
    }

    /** Runs {@code openssl} with the arguments in {@code directory}; fails with its output, or saying what to install. */
    public static void openssl(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run openssl (install Debian package openssl): " + e.getMessage());
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
