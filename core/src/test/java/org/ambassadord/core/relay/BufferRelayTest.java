package org.ambassadord.core.relay;

/** The relay suite on the buffer path ({@code --no-splice}, and every OS but Linux), epoll loops. */
class BufferRelayTest extends RelayTestSuite {

    @Override
    boolean splice() {
        return false;
    }
}
