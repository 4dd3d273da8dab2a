package org.ambassadord.core.tls;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Handshakes of one hop: how many succeeded and, of those that failed, why. Any thread. */
public final class TlsCounters {

    private final LongAdder succeeded = new LongAdder();
    private final Map<TlsFailureReason, LongAdder> failed = new EnumMap<>(TlsFailureReason.class);

    TlsCounters() {
        for (TlsFailureReason reason : TlsFailureReason.values()) {
            failed.put(reason, new LongAdder());
        }
    }

    public void succeeded() {
        succeeded.increment();
    }

    /** Counts a failure and says why, for the log line. */
    public TlsFailureReason failed(Throwable error) {
        TlsFailureReason reason = TlsFailureReason.of(error);
        failed.get(reason).increment();
        return reason;
    }

    public long succeededCount() {
        return succeeded.sum();
    }

    public long failedCount(TlsFailureReason reason) {
        return failed.get(reason).sum();
    }
}
