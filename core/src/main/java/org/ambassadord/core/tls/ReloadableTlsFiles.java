package org.ambassadord.core.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * PEM files behind one piece of an {@code SSLContext} — a certificate chain with its key, or a
 * CA bundle — that can be read again when they change: {@link #reload()} re-reads them as a
 * whole and, when they load, swaps them into the context's key or trust manager; when they do
 * not, the old ones stay. What was read last is remembered, so an event that changed nothing
 * costs no swap.
 */
public abstract sealed class ReloadableTlsFiles permits ReloadableTlsFiles.Identity, ReloadableTlsFiles.Trust {

    /** What one {@link #reload()} did. */
    public enum Outcome { UNCHANGED, RELOADED }

    private final List<Path> files;
    /** The option that names each file, for messages. */
    private final List<String> options;
    private byte[][] loadedBytes;
    private volatile Instant notAfter = Instant.MAX;
    private final java.util.concurrent.atomic.LongAdder reloads = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder failures = new java.util.concurrent.atomic.LongAdder();

    ReloadableTlsFiles(List<Path> files, List<String> options) {
        this.files = List.copyOf(files);
        this.options = List.copyOf(options);
    }

    /** The files, as the options named them (symbolic links not followed: their folders are watched). */
    public List<Path> files() {
        return files;
    }

    /** The option that names the first file ({@code --tls-cert}, {@code --upstream-ca}, …), a metrics label. */
    public abstract String option();

    /** Reloads that swapped new files in, and changes that did not load in time (counted by the watcher). */
    public long reloads() {
        return reloads.sum();
    }

    public long failures() {
        return failures.sum();
    }

    void countReload() {
        reloads.increment();
    }

    void countFailure() {
        failures.increment();
    }

    /** Names the files, for log lines. */
    public abstract String describe();

    /** When the certificate loaded last expires (for a bundle, its first to expire). */
    public Instant notAfter() {
        return notAfter;
    }

    /**
     * Reads the files again and, when they differ from what is loaded and load as a whole,
     * swaps them in.
     *
     * @throws TlsFileException when they do not load (the old ones stay)
     */
    public synchronized Outcome reload() {
        byte[][] now = readAll();
        if (loadedBytes != null && Arrays.deepEquals(now, loadedBytes)) {
            return Outcome.UNCHANGED;
        }
        notAfter = load();
        loadedBytes = now;
        return Outcome.RELOADED;
    }

    /** Loads the files into the manager; returns the expiry to report. */
    abstract Instant load();

    private byte[][] readAll() {
        byte[][] bytes = new byte[files.size()][];
        for (int i = 0; i < bytes.length; i++) {
            Path file = files.get(i);
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new TlsFileException(options.get(i) + " [" + file + "] is not a readable file");
            }
            try {
                bytes[i] = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new TlsFileException(options.get(i) + " [" + file + "] cannot be read: " + e.getMessage());
            }
        }
        return bytes;
    }

    /** A certificate chain and its key, read as a pair, for a {@link SwappableKeyManager}. */
    public static final class Identity extends ReloadableTlsFiles {
        private final String certOption;
        private final Path cert;
        private final String keyOption;
        private final Path key;
        private SwappableKeyManager manager;

        public Identity(String certOption, Path cert, String keyOption, Path key) {
            super(List.of(cert, key), List.of(certOption, keyOption));
            this.certOption = certOption;
            this.cert = cert;
            this.keyOption = keyOption;
            this.key = key;
        }

        /** The manager a context is made with; loads the pair the first time. */
        synchronized SwappableKeyManager manager() {
            if (manager == null) {
                reload();
            }
            return manager;
        }

        @Override
        Instant load() {
            KeyStore identity = PemFiles.identity(certOption, cert, keyOption, key);
            try {
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(identity, new char[0]);
                X509ExtendedKeyManager loaded = first(factory.getKeyManagers(), X509ExtendedKeyManager.class);
                if (manager == null) {
                    manager = new SwappableKeyManager(loaded);
                } else {
                    manager.swap(loaded);
                }
                X509Certificate leaf = (X509Certificate) identity.getCertificateChain("identity")[0];
                return leaf.getNotAfter().toInstant();
            } catch (GeneralSecurityException e) {
                throw new TlsFileException(certOption + " [" + cert + "]: " + e.getMessage());
            }
        }

        @Override
        public String describe() {
            return certOption + " [" + cert + "] with " + keyOption + " [" + key + "]";
        }

        @Override
        public String option() {
            return certOption;
        }
    }

    /** A PEM bundle of CA certificates, for a {@link SwappableTrustManager}. */
    public static final class Trust extends ReloadableTlsFiles {
        private final String option;
        private final Path bundle;
        private SwappableTrustManager manager;

        public Trust(String option, Path bundle) {
            super(List.of(bundle), List.of(option));
            this.option = option;
            this.bundle = bundle;
        }

        synchronized SwappableTrustManager manager() {
            if (manager == null) {
                reload();
            }
            return manager;
        }

        @Override
        Instant load() {
            KeyStore anchors = PemFiles.trustStore(option, bundle);
            try {
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(anchors);
                X509ExtendedTrustManager loaded = first(factory.getTrustManagers(), X509ExtendedTrustManager.class);
                if (manager == null) {
                    manager = new SwappableTrustManager(loaded);
                } else {
                    manager.swap(loaded);
                }
                Instant earliest = Instant.MAX;
                for (X509Certificate certificate : PemFiles.certificates(option, bundle)) {
                    Instant expiry = certificate.getNotAfter().toInstant();
                    earliest = expiry.isBefore(earliest) ? expiry : earliest;
                }
                return earliest;
            } catch (GeneralSecurityException e) {
                throw new TlsFileException(option + " [" + bundle + "]: " + e.getMessage());
            }
        }

        @Override
        public String describe() {
            return option + " [" + bundle + "]";
        }

        @Override
        public String option() {
            return option;
        }
    }

    /** The JDK's own trust store, which is not a file of ours and is never reloaded. */
    static X509ExtendedTrustManager jdkTrust() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return first(factory.getTrustManagers(), X509ExtendedTrustManager.class);
        } catch (GeneralSecurityException e) {
            throw new TlsFileException("the JDK's trust store cannot be read: " + e.getMessage());
        }
    }

    private static <T> T first(Object[] managers, Class<T> type) {
        return Arrays.stream(managers).filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new TlsFileException("the JDK offers no " + type.getSimpleName()));
    }
}
