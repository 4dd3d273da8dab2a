/**
 * One poller, one thread: {@link org.ambassadord.core.relay.loop.RelayLoop} runs readiness handlers, timers
 * and posted tasks; {@link org.ambassadord.core.relay.loop.LoopIo} is its seam to epoll (through jffi) or the
 * JDK's selector. Knows sockets and counters, nothing of backends or byte moving.
 */
package org.ambassadord.core.relay.loop;
