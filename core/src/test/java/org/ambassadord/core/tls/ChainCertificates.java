package org.ambassadord.core.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.ambassadord.spi.testkit.TestCertificates;

/**
 * A PKI with an intermediate, made with {@code openssl} at test time: a root CA, an
 * intermediate CA it signed, and a server certificate the intermediate signed (for
 * {@code 127.0.0.1}, {@code ::1} and {@code localhost}); {@link #chain()} holds the leaf and then
 * the intermediate, as a server presents them.
 */
public record ChainCertificates(Path root, Path chain, Path key) {

    public static ChainCertificates create(Path directory) throws IOException, InterruptedException {
        Path rootKey = directory.resolve("root-key.pem");
        Path root = directory.resolve("root.pem");
        TestCertificates.openssl(directory, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-subj", "/CN=chain test root", "-keyout", rootKey.toString(), "-out", root.toString());
        Path caExtensions = directory.resolve("ca.ext");
        Files.writeString(caExtensions, "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n");
        Path intermediateKey = directory.resolve("intermediate-key.pem");
        Path intermediate = directory.resolve("intermediate.pem");
        signed(directory, "/CN=chain test intermediate", intermediateKey, intermediate, root, rootKey, caExtensions);
        Path leafExtensions = directory.resolve("leaf.ext");
        Files.writeString(leafExtensions, "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        Path key = directory.resolve("leaf-key.pem");
        Path leaf = directory.resolve("leaf.pem");
        signed(directory, "/CN=localhost via intermediate", key, leaf, intermediate, intermediateKey, leafExtensions);
        Path chain = directory.resolve("chain.pem");
        Files.writeString(chain, Files.readString(leaf) + Files.readString(intermediate));
        return new ChainCertificates(root, chain, key);
    }

    private static void signed(Path directory, String subject, Path key, Path cert, Path ca, Path caKey, Path extensions)
            throws IOException, InterruptedException {
        Path request = directory.resolve(key.getFileName() + ".csr");
        TestCertificates.openssl(directory, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", subject,
                "-keyout", key.toString(), "-out", request.toString());
        TestCertificates.openssl(directory, "x509", "-req", "-in", request.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-days", "2", "-extfile", extensions.toString(), "-out", cert.toString());
    }
}
