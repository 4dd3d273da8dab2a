package org.ambassadord.core.relay;

import org.ambassadord.core.relay.loop.EventLoopKind;

/** The relay suite on the buffer path with the JDK's NIO selector ({@code --event-loop nio}). */
class NioBufferRelayTest extends BufferRelayTest {

    @Override
    EventLoopKind eventLoop() {
        return EventLoopKind.NIO;
    }
}
