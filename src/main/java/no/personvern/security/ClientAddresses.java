package no.personvern.security;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;

/**
 * Who sent a request. The socket peer, unless the peer is a trusted proxy
 * ({@code personvern.trusted-proxies}): then the right-most address of its forwarded header that
 * is not itself a trusted proxy. Forwarded headers from anyone else are ignored, since a client
 * can write them. The request's {@code getRemoteAddr()} already gives this address.
 */
public interface ClientAddresses {

    InetAddress client(HttpServletRequest request);

    /**
     * The key that per-client limits count under: an IPv4 address as it is, an IPv6 address by its
     * /64 prefix (one subscriber's network, within which a client can take any address).
     */
    default String key(HttpServletRequest request) {
        return key(client(request));
    }

    /** The key for an address given as text, as {@code getRemoteAddr()} returns it. */
    String key(String address);

    String key(InetAddress address);
}
