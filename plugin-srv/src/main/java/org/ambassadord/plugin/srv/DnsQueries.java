package org.ambassadord.plugin.srv;

import java.util.concurrent.CompletableFuture;

import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/**
 * Where {@link SrvLookup} sends its queries: {@link DnsClient} over the network; the fuzz
 * target feeds it any answer a DNS server could send.
 */
interface DnsQueries {

    /**
     * Asks for the records of one name and type.
     *
     * @return the server's response whatever its rcode; completed exceptionally when no answer
     *         came
     */
    CompletableFuture<Message> query(Name name, int type);

    /** Where queries go, for messages. */
    String describeServer();
}
