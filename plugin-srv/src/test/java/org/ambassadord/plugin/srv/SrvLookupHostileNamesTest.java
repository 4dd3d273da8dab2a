package org.ambassadord.plugin.srv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;

/**
 * A DNS server names SRV targets in its own bytes (issue 21): a label holding a newline and a
 * terminal escape reaches the log lines and the relay's endpoint names in DNS presentation
 * form ({@code \010}, {@code \027}), one line.
 */
class SrvLookupHostileNamesTest {

    @Test
    void aTargetWithControlBytesIsShownEscaped() throws Exception {
        byte[] label = "a\nFORGED\u001b[2J".getBytes(StandardCharsets.US_ASCII);
        byte[] wire = new byte[label.length + 2 + "test".length() + 1];
        wire[0] = (byte) label.length;
        System.arraycopy(label, 0, wire, 1, label.length);
        wire[label.length + 1] = 4;
        System.arraycopy("test".getBytes(StandardCharsets.US_ASCII), 0, wire, label.length + 2, 4);
        Name target = new Name(new DNSInput(wire));
        Name service = Name.fromString("_redis._tcp.app.test.");
        DnsQueries server = new DnsQueries() {
            @Override
            public CompletableFuture<Message> query(Name name, int type) {
                Message answer = new Message();
                answer.getHeader().setFlag(Flags.QR);
                answer.addRecord(Record.newRecord(name, type, DClass.IN), Section.QUESTION);
                answer.addRecord(new SRVRecord(service, DClass.IN, 60, 1, 1, 6379, target), Section.ANSWER);
                answer.addRecord(new ARecord(target, DClass.IN, 60, InetAddress.getLoopbackAddress()), Section.ADDITIONAL);
                return CompletableFuture.completedFuture(answer);
            }

            @Override
            public String describeServer() {
                return "a test server";
            }
        };
        SrvAnswer answer = new SrvLookup(SrvSpecParser.parse("srv://_redis._tcp.app.test"), server).run().get(5, TimeUnit.SECONDS);
        assertEquals(1, answer.entries().size());
        String logged = answer.entries().get(0).toString() + " " + answer.entries().get(0).addresses().get(0);
        assertTrue(logged.contains("a\\010FORGED\\027[2J.test"), logged);
        assertTrue(logged.chars().noneMatch(c -> c < 0x20), logged);
    }
}
