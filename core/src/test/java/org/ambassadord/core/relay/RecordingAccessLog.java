package org.ambassadord.core.relay;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.ambassadord.core.accesslog.AccessLog;
import org.ambassadord.core.accesslog.AccessRecord;

/** An access log that keeps every record in memory, for tests that check how connections ended. */
final class RecordingAccessLog implements AccessLog {

    private final List<AccessRecord> records = new CopyOnWriteArrayList<>();

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public void record(AccessRecord record) {
        records.add(record);
    }

    @Override
    public long dropped() {
        return 0;
    }

    @Override
    public void close() {
    }

    List<AccessRecord> records() {
        return records;
    }
}
