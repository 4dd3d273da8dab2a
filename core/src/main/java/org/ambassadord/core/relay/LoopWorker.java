package org.ambassadord.core.relay;

import org.ambassadord.core.relay.loop.RelayLoop;
import org.ambassadord.core.relay.transfer.Transfer;

/**
 * One event loop and what the connections on its thread share: the transfer with its pools of
 * buffers and pipes. The loop itself knows nothing of moving bytes; the server pairs them.
 */
record LoopWorker(RelayLoop loop, Transfer transfer) {
}
