package org.ambassadord.plugin.srv;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/**
 * Any answer a DNS server may send to the SRV query and to the look-ups of its targets (any
 * rcode, priorities, weights, ports and TTLs; targets with any bytes in their labels, the root
 * among them; glue or none; servers that fail) goes through {@link SrvLookup}: it ends in an
 * answer or a {@link DnsLookupException}, never another exception; an answer's entries have
 * addresses, its TTL is at least the floor, and what it says for the log and for refusals is
 * one line.
 */
class SrvAnswerFuzzTest {

    private static final int[] RCODES = {Rcode.NOERROR, Rcode.NOERROR, Rcode.NOERROR, Rcode.NXDOMAIN, Rcode.SERVFAIL,
        Rcode.REFUSED};

    @FuzzTest(maxDuration = "10s")
    void everyAnswerEndsInEntriesOrARefusalOfOneLine(FuzzedDataProvider data) throws Exception {
        SrvSpec spec = SrvSpecParser.parse("srv://_redis._tcp.app.test");
        Name service = Name.fromString("_redis._tcp.app.test.");
        DnsQueries server = new DnsQueries() {
            @Override
            public CompletableFuture<Message> query(Name name, int type) {
                if (data.consumeInt(0, 15) == 0) {
                    return CompletableFuture.failedFuture(new java.net.SocketTimeoutException("timed out\n\u001b[2J"));
                }
                return CompletableFuture.completedFuture(type == Type.SRV ? srvAnswer(data, service) : addressAnswer(data, name, type));
            }

            @Override
            public String describeServer() {
                return "the fuzzer";
            }
        };
        CompletableFuture<SrvAnswer> run = new SrvLookup(spec, server).run();
        SrvAnswer answer;
        try {
            answer = run.get(1, TimeUnit.SECONDS);
        } catch (ExecutionException failed) {
            assertInstanceOf(DnsLookupException.class, failed.getCause(), failed.toString());
            assertOneLine(failed.getCause().getMessage());
            return;
        }
        assertTrue(answer.ttl().compareTo(SrvLookup.MIN_TTL) >= 0, answer.toString());
        assertOneLine(answer.refusal());
        for (SrvEntry entry : answer.entries()) {
            assertFalse(entry.addresses().isEmpty(), entry.toString());
            assertTrue(entry.port() >= 0 && entry.port() <= 65535, entry.toString());
            assertOneLine(entry.toString());
            entry.addresses().forEach(address -> assertOneLine(address.toString()));
        }
    }

    private static void assertOneLine(String text) {
        assertTrue(text.chars().noneMatch(c -> c < 0x20 || c == 0x7f), text);
    }

    private static Message srvAnswer(FuzzedDataProvider data, Name service) {
        Message message = response(data, service, Type.SRV);
        int count = data.consumeInt(0, 6);
        for (int i = 0; i < count; i++) {
            Name target = target(data, service);
            message.addRecord(new SRVRecord(service, DClass.IN, ttl(data), data.consumeInt(0, 65535), data.consumeInt(0, 65535),
                    data.consumeInt(0, 65535), target), Section.ANSWER);
            if (data.consumeBoolean()) {
                message.addRecord(addressRecord(data, target, data.consumeBoolean() ? Type.A : Type.AAAA), Section.ADDITIONAL);
            }
        }
        soa(data, message, service);
        return message;
    }

    private static Message addressAnswer(FuzzedDataProvider data, Name target, int type) {
        Message message = response(data, target, type);
        int count = data.consumeInt(0, 3);
        for (int i = 0; i < count; i++) {
            // Now and then a record of the other type or for another name: a server may send anything.
            int recordType = data.consumeInt(0, 7) == 0 ? (type == Type.A ? Type.AAAA : Type.A) : type;
            message.addRecord(addressRecord(data, data.consumeInt(0, 7) == 0 ? Name.root : target, recordType), Section.ANSWER);
        }
        soa(data, message, target);
        return message;
    }

    private static Message response(FuzzedDataProvider data, Name name, int type) {
        Message message = new Message();
        message.getHeader().setFlag(Flags.QR);
        message.getHeader().setRcode(data.pickValue(RCODES));
        message.addRecord(Record.newRecord(name, type, DClass.IN), Section.QUESTION);
        return message;
    }

    private static void soa(FuzzedDataProvider data, Message message, Name zone) {
        if (data.consumeBoolean()) {
            message.addRecord(new SOARecord(zone, DClass.IN, ttl(data), Name.root, Name.root, 1, 1, 1, 1, ttl(data)),
                    Section.AUTHORITY);
        }
    }

    private static Record addressRecord(FuzzedDataProvider data, Name name, int type) {
        try {
            return type == Type.A
                    ? new ARecord(name, DClass.IN, ttl(data), java.net.InetAddress.getByAddress(
                        new byte[] {10, 0, 0, (byte) data.consumeInt(0, 255)}))
                    : new AAAARecord(name, DClass.IN, ttl(data), java.net.InetAddress.getByName(
                        "fd00::" + Integer.toHexString(data.consumeInt(1, 0xffff))));
        } catch (java.net.UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The root, a name under the service's zone, or labels of any bytes from the wire. */
    private static Name target(FuzzedDataProvider data, Name service) {
        switch (data.consumeInt(0, 3)) {
            case 0:
                return Name.root;
            case 1:
                try {
                    return Name.fromString("t" + data.consumeInt(0, 3) + ".app.test.");
                } catch (org.xbill.DNS.TextParseException impossible) {
                    throw new IllegalStateException(impossible);
                }
            default:
                byte[] wire = wireName(data);
                try {
                    return new Name(new DNSInput(wire));
                } catch (WireParseException notAName) {
                    return service;
                }
        }
    }

    private static byte[] wireName(FuzzedDataProvider data) {
        java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
        int labels = data.consumeInt(1, 4);
        for (int i = 0; i < labels; i++) {
            byte[] label = data.consumeBytes(data.consumeInt(1, 63));
            if (label.length == 0) {
                break;
            }
            wire.write(label.length);
            wire.writeBytes(label);
        }
        wire.write(0);
        return wire.toByteArray();
    }

    private static long ttl(FuzzedDataProvider data) {
        return data.consumeLong(0, 0x7fffffffL);
    }
}
