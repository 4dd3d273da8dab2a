package org.ambassadord.plugin.srv;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * One complete SRV look-up: the SRV query, then the targets' addresses, taken from the
 * answer's additional section when the server put them there and asked for with A and AAAA
 * queries otherwise.
 *
 * <p>Additional records are matched to targets by owner name, never by position: servers
 * add AAAA records, repeat targets and reorder freely.
 *
 * <p>Runs on background threads only (the cache's scheduler and dnsjava's selector thread);
 * no method blocks.
 */
final class SrvLookup {

    /** Answers are never cached for less, so a TTL of 0 (Consul's default) is not a busy loop. */
    static final Duration MIN_TTL = Duration.ofSeconds(1);
    /** How long "no such service" is cached when the server sends no SOA to say. */
    static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(5);
    /** Upper bound for caching "no such service", so a new service is found soon. */
    static final Duration MAX_NEGATIVE_TTL = Duration.ofSeconds(30);

    private final String nameText;
    private final String displayName;
    private final DnsQueries dns;
    /** Parsed on the first look-up: dnsjava's record tables load with it, off the opening thread. */
    private volatile Name name;

    SrvLookup(SrvSpec spec, DnsQueries dns) {
        this.nameText = spec.name();
        this.displayName = spec.displayName();
        this.dns = dns;
    }

    private Name name() {
        Name parsed = name;
        if (parsed == null) {
            try {
                parsed = Name.fromString(nameText);
            } catch (TextParseException e) {
                // SrvSpecParser admits only valid names; reaching this is a bug, not bad input.
                throw new IllegalArgumentException("invalid SRV name [" + nameText + "]", e);
            }
            name = parsed;
        }
        return parsed;
    }

    /**
     * Looks the name up.
     *
     * @return the answer (possibly without entries, when the name does not exist or has no
     *         usable target), or a future completed exceptionally when no answer could be had
     *         (time-out, SERVFAIL, REFUSED, network error)
     */
    CompletableFuture<SrvAnswer> run() {
        return dns.query(name(), Type.SRV)
                .thenCompose(this::fromSrvResponse)
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(new DnsLookupException(
                        DnsLookupException.describe(failure) + " (asking " + dns.describeServer() + ")")));
    }

    private CompletableFuture<SrvAnswer> fromSrvResponse(Message response) {
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return CompletableFuture.completedFuture(SrvAnswer.none(
                    "DNS name [" + displayName + "] does not exist (NXDOMAIN)", negativeTtl(response)));
        }
        checkNoError(rcode, "SRV", displayName);
        List<SRVRecord> records = response.getSection(Section.ANSWER).stream()
                .filter(SRVRecord.class::isInstance).map(SRVRecord.class::cast).toList();
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(SrvAnswer.none(
                    "DNS name [" + displayName + "] has no SRV records", negativeTtl(response)));
        }
        List<SRVRecord> serving = records.stream().filter(srv -> !srv.getTarget().equals(Name.root)).toList();
        if (serving.isEmpty()) {
            return CompletableFuture.completedFuture(SrvAnswer.none("SRV record of [" + displayName
                    + "] has target [.]: the service is decidedly not available", ttl(records, List.of())));
        }
        Map<Name, CompletableFuture<TargetAddresses>> targets = new LinkedHashMap<>();
        for (SRVRecord srv : serving) {
            targets.computeIfAbsent(srv.getTarget(), target -> addresses(target, response));
        }
        return CompletableFuture.allOf(targets.values().toArray(CompletableFuture[]::new))
                .thenApply(done -> answer(serving, targets));
    }

    private SrvAnswer answer(List<SRVRecord> serving, Map<Name, CompletableFuture<TargetAddresses>> targets) {
        List<SrvEntry> entries = new ArrayList<>();
        List<TargetAddresses> resolved = new ArrayList<>();
        for (SRVRecord srv : serving) {
            TargetAddresses addresses = targets.get(srv.getTarget()).join();
            resolved.add(addresses);
            if (!addresses.addresses().isEmpty()) {
                entries.add(new SrvEntry(srv.getPriority(), srv.getWeight(), srv.getPort(),
                        display(srv.getTarget()), addresses.addresses()));
            }
        }
        Duration ttl = ttl(serving, resolved);
        if (entries.isEmpty()) {
            String names = targets.keySet().stream().map(SrvLookup::display).collect(Collectors.joining(", "));
            return SrvAnswer.none("SRV targets [" + names + "] of [" + displayName + "] have no addresses", ttl);
        }
        return SrvAnswer.of(entries, ttl);
    }

    /** A target's addresses from the additional section, else from A and AAAA queries. */
    private CompletableFuture<TargetAddresses> addresses(Name target, Message srvResponse) {
        List<Record> glue = srvResponse.getSection(Section.ADDITIONAL).stream()
                .filter(record -> record.getName().equals(target) && isAddress(record))
                .toList();
        if (!glue.isEmpty()) {
            return CompletableFuture.completedFuture(TargetAddresses.of(glue, null));
        }
        CompletableFuture<Message> a = dns.query(target, Type.A);
        CompletableFuture<Message> aaaa = dns.query(target, Type.AAAA);
        return a.thenCombine(aaaa, (v4, v6) -> {
            List<Record> records = new ArrayList<>();
            Duration negativeTtl = null;
            for (Message response : List.of(v4, v6)) {
                int rcode = response.getRcode();
                if (rcode != Rcode.NXDOMAIN) {
                    checkNoError(rcode, Type.string(response.getQuestion().getType()), display(target));
                }
                List<Record> found = response.getSection(Section.ANSWER).stream().filter(SrvLookup::isAddress).toList();
                records.addAll(found);
                if (found.isEmpty()) {
                    negativeTtl = negativeTtl(response);
                }
            }
            return TargetAddresses.of(records, records.isEmpty() ? negativeTtl : null);
        });
    }

    private static void checkNoError(int rcode, String type, String name) {
        if (rcode != Rcode.NOERROR) {
            throw new DnsLookupException("DNS server answered [" + Rcode.string(rcode) + "] to the " + type
                    + " query for [" + name + "]");
        }
    }

    private static boolean isAddress(Record record) {
        return record instanceof ARecord || record instanceof AAAARecord;
    }

    /** The smallest TTL of everything the answer is made of, but at least {@link #MIN_TTL}. */
    private static Duration ttl(List<SRVRecord> records, List<TargetAddresses> targets) {
        long seconds = Long.MAX_VALUE;
        for (SRVRecord record : records) {
            seconds = Math.min(seconds, record.getTTL());
        }
        Duration ttl = Duration.ofSeconds(seconds);
        for (TargetAddresses target : targets) {
            if (target.ttl().compareTo(ttl) < 0) {
                ttl = target.ttl();
            }
        }
        return ttl.compareTo(MIN_TTL) < 0 ? MIN_TTL : ttl;
    }

    /**
     * How long a "does not exist" answer stands: the SOA's negative TTL (RFC 2308: the
     * smaller of its TTL and MINIMUM field), within {@link #MIN_TTL} and
     * {@link #MAX_NEGATIVE_TTL}.
     */
    private static Duration negativeTtl(Message response) {
        Duration ttl = response.getSection(Section.AUTHORITY).stream()
                .filter(SOARecord.class::isInstance).map(SOARecord.class::cast)
                .map(soa -> Duration.ofSeconds(Math.min(soa.getTTL(), soa.getMinimum())))
                .findFirst().orElse(DEFAULT_NEGATIVE_TTL);
        if (ttl.compareTo(MIN_TTL) < 0) {
            return MIN_TTL;
        }
        return ttl.compareTo(MAX_NEGATIVE_TTL) > 0 ? MAX_NEGATIVE_TTL : ttl;
    }

    private static String display(Name name) {
        String text = name.toString();
        return text.endsWith(".") && text.length() > 1 ? text.substring(0, text.length() - 1) : text;
    }

    /**
     * The addresses of one target and how long they stand.
     *
     * @param addresses distinct, IPv4 first (IPv6 is often configured but not routed inside
     *                  containers, so it is the fallback)
     * @param ttl       the smallest TTL of the address records, or the negative TTL when
     *                  there are none
     */
    private record TargetAddresses(List<InetAddress> addresses, Duration ttl) {

        static TargetAddresses of(List<Record> records, Duration negativeTtl) {
            List<InetAddress> addresses = records.stream()
                    .map(TargetAddresses::address)
                    .distinct()
                    .sorted(Comparator.comparingInt(address -> address instanceof Inet4Address ? 0 : 1))
                    .toList();
            long seconds = records.stream().mapToLong(Record::getTTL).min().orElse(Long.MAX_VALUE);
            Duration ttl = records.isEmpty() ? negativeTtl : Duration.ofSeconds(seconds);
            return new TargetAddresses(addresses, ttl == null ? DEFAULT_NEGATIVE_TTL : ttl);
        }

        /** The record's address, named after its owner (without the root dot) for the relay's logs. */
        private static InetAddress address(Record record) {
            InetAddress address = record instanceof ARecord a ? a.getAddress() : ((AAAARecord) record).getAddress();
            try {
                return InetAddress.getByAddress(display(record.getName()), address.getAddress());
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException("an A or AAAA record holds 4 or 16 bytes", impossible);
            }
        }
    }
}
