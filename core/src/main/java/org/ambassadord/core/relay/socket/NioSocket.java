package org.ambassadord.core.relay.socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** A {@link RelaySocket} that is a JDK {@link SocketChannel}. */
public final class NioSocket implements RelaySocket {

    private final SocketChannel channel;

    public NioSocket(SocketChannel channel) {
        this.channel = channel;
    }

    public SocketChannel channel() {
        return channel;
    }

    @Override
    public int read(ByteBuffer into) throws IOException {
        return channel.read(into);
    }

    @Override
    public int write(ByteBuffer from) throws IOException {
        return channel.write(from);
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public boolean connect(InetSocketAddress endpoint) throws IOException {
        return channel.connect(endpoint);
    }

    @Override
    public boolean finishConnect() throws IOException {
        return channel.finishConnect();
    }

    @Override
    public int fd() {
        return SocketDescriptors.fdOf(channel);
    }

    @Override
    public void closeQuietly() {
        Channels.closeQuietly(channel);
    }

    @Override
    public void resetQuietly() {
        try {
            channel.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
        } catch (java.io.IOException | RuntimeException e) {
            // closed below all the same, with a FIN
        }
        closeQuietly();
    }
}
