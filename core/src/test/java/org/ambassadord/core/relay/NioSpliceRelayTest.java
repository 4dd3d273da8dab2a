package org.ambassadord.core.relay;

import org.ambassadord.core.relay.loop.EventLoopKind;

/** The relay suite, and the splice path's own cases, with the JDK's NIO selector ({@code --event-loop nio}). */
class NioSpliceRelayTest extends SpliceRelayTest {

    @Override
    EventLoopKind eventLoop() {
        return EventLoopKind.NIO;
    }
}
