package no.personvern.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy on a free loopback port that lets each connection wait before it reaches the target:
 * a slow server (a mail server that takes its time with every message, say).
 */
public final class SlowProxy implements AutoCloseable {

    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final ExecutorService threads = Executors.newCachedThreadPool();

    public SlowProxy(int targetPort, Duration delay) throws IOException {
        threads.execute(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    threads.execute(() -> {
                        try (client; Socket server = new Socket("127.0.0.1", targetPort)) {
                            Thread.sleep(delay.toMillis());
                            threads.execute(() -> pipe(server, client));
                            pipe(client, server);
                        } catch (IOException | InterruptedException e) {
                            // the connection ends
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    public int port() {
        return socket.getLocalPort();
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // closed
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        threads.shutdownNow();
    }
}
