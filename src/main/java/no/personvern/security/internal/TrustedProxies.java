package no.personvern.security.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import no.personvern.security.ClientAddresses;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The client address behind the proxies that {@code personvern.trusted-proxies} names (CIDRs, IPv4
 * and IPv6; none by default). Only when the socket peer is one of them is its forwarded header
 * read ({@code X-Forwarded-For} by default, or RFC 7239 {@code Forwarded}, whichever the proxy
 * writes — never both, since a client could send the one the proxy does not overwrite). The
 * header is walked from the right, past every trusted proxy; the first address that is not one is
 * the client. As a filter it makes {@code getRemoteAddr()} return that address for everything
 * after it, and {@code isSecure()} true when that proxy says the client came over HTTPS.
 */
class TrustedProxies extends OncePerRequestFilter implements ClientAddresses {

    private static final String ATTRIBUTE = TrustedProxies.class.getName() + ".client";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final List<Cidr> trusted;
    private final String header;

    TrustedProxies(List<String> cidrs, String header) {
        this.trusted = cidrs.stream().map(String::strip).filter(cidr -> !cidr.isEmpty()).map(Cidr::parse).toList();
        if (!header.equalsIgnoreCase("X-Forwarded-For") && !header.equalsIgnoreCase("Forwarded")) {
            throw new IllegalArgumentException("personvern.forwarded-header must be X-Forwarded-For or Forwarded");
        }
        this.header = header;
    }

    @Override
    public InetAddress client(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof InetAddress resolved) {
            return resolved;
        }
        InetAddress peer = parse(request.getRemoteAddr());
        if (peer == null) {
            return InetAddress.getLoopbackAddress();
        }
        if (!isTrusted(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String value : Collections.list(request.getHeaders(header))) {
            hops.addAll(header.equalsIgnoreCase("Forwarded") ? forwardedFor(value) : List.of(value.split(",")));
        }
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = parse(hops.get(i));
            if (hop == null) {
                break; // unreadable (e.g. "unknown"): the last proxy that could be read is what is known
            }
            client = hop;
            if (!isTrusted(hop)) {
                break;
            }
        }
        return client;
    }

    @Override
    public String key(String address) {
        InetAddress parsed = parse(address);
        return parsed == null ? "unknown" : key(parsed);
    }

    @Override
    public String key(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] prefix = new byte[16];
        System.arraycopy(address.getAddress(), 0, prefix, 0, 8);
        try {
            return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    boolean isTrusted(InetAddress address) {
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        InetAddress client = client(request);
        request.setAttribute(ATTRIBUTE, client);
        String peer = request.getRemoteAddr();
        String address = client.getHostAddress();
        String scheme = forwardedScheme(request);
        boolean same = address.equals(peer) && (scheme == null || scheme.equals(request.getScheme()));
        chain.doFilter(same ? request : new Forwarded(request, address, scheme), response);
    }

    /**
     * The scheme the client used, as the nearest trusted proxy reports it ({@code X-Forwarded-Proto},
     * or {@code proto=} of {@code Forwarded}: the last value, which that proxy wrote), so that cookies
     * get {@code Secure} behind a proxy that ends TLS; null when the peer is not trusted or says nothing.
     */
    private String forwardedScheme(HttpServletRequest request) {
        InetAddress peer = parse(request.getRemoteAddr());
        if (peer == null || !isTrusted(peer)) {
            return null;
        }
        String last = null;
        if (header.equalsIgnoreCase("Forwarded")) {
            for (String value : Collections.list(request.getHeaders("Forwarded"))) {
                for (String element : value.split(",")) {
                    for (String pair : element.split(";")) {
                        int equals = pair.indexOf('=');
                        if (equals > 0 && pair.substring(0, equals).strip().equalsIgnoreCase("proto")) {
                            last = pair.substring(equals + 1).strip().replace("\"", "");
                        }
                    }
                }
            }
        } else {
            for (String value : Collections.list(request.getHeaders("X-Forwarded-Proto"))) {
                String[] values = value.split(",");
                last = values[values.length - 1].strip();
            }
        }
        if (last == null) {
            return null;
        }
        String scheme = last.toLowerCase(java.util.Locale.ROOT);
        return scheme.equals("https") || scheme.equals("http") ? scheme : null;
    }

    /** The {@code for=} values of an RFC 7239 header, quotes removed. */
    private static List<String> forwardedFor(String value) {
        List<String> hops = new ArrayList<>();
        for (String element : value.split(",")) {
            for (String pair : element.split(";")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && pair.substring(0, equals).strip().equalsIgnoreCase("for")) {
                    hops.add(pair.substring(equals + 1).strip().replace("\"", ""));
                }
            }
        }
        return hops;
    }

    /**
     * An IP literal — {@code 192.0.2.1}, {@code 192.0.2.1:443}, {@code 2001:db8::1},
     * {@code [2001:db8::1]:443} — or null. Never a host name (which would be looked up).
     */
    static InetAddress parse(String text) {
        if (text == null) {
            return null;
        }
        String value = text.strip();
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            value = close > 0 ? value.substring(1, close) : "";
        } else if (value.indexOf(':') > 0 && value.indexOf(':') == value.lastIndexOf(':') && value.contains(".")) {
            value = value.substring(0, value.indexOf(':')); // IPv4 with a port
        }
        boolean literal = IPV4.matcher(value).matches() ? octetsInRange(value)
                : value.contains(":") && IPV6.matcher(value).matches();
        if (!literal) {
            return null; // also what InetAddress would otherwise try to look up as a host name
        }
        try {
            return InetAddress.getByName(value);
        } catch (UnknownHostException malformed) {
            return null;
        }
    }

    private static boolean octetsInRange(String ipv4) {
        for (String octet : ipv4.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    /** An address range: {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or one address. */
    record Cidr(byte[] network, int bits) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            InetAddress address = TrustedProxies.parse(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("personvern.trusted-proxies: not an IP address or CIDR: " + text);
            }
            int max = address.getAddress().length * 8;
            int bits;
            try {
                bits = slash < 0 ? max : Integer.parseInt(text.substring(slash + 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("personvern.trusted-proxies: bad prefix length in " + text);
            }
            if (bits < 0 || bits > max) {
                throw new IllegalArgumentException("personvern.trusted-proxies: bad prefix length in " + text);
            }
            return new Cidr(address.getAddress(), bits);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (candidate[full] & mask) == (network[full] & mask);
        }
    }

    private static final class Forwarded extends HttpServletRequestWrapper {

        private final String address;
        private final String scheme;

        Forwarded(HttpServletRequest request, String address, String scheme) {
            super(request);
            this.address = address;
            this.scheme = scheme;
        }

        @Override
        public String getScheme() {
            return scheme == null ? super.getScheme() : scheme;
        }

        @Override
        public boolean isSecure() {
            return scheme == null ? super.isSecure() : scheme.equals("https");
        }

        @Override
        public String getRemoteAddr() {
            return address;
        }

        @Override
        public String getRemoteHost() {
            return address;
        }
    }
}
