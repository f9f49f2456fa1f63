package dev.lunas.common.ratelimit;

import io.netty.util.NetUtil;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Who is asking: the TCP peer, or, when the peer is a trusted reverse proxy, the right-most address of
 * {@code X-Forwarded-For} that is not itself a trusted proxy. Everything left of that is written by the client and
 * ignored, so an untrusted client cannot choose its own bucket by sending the header.
 *
 * <p>Parsing is bounded: at most {@link #MAX_HOPS} entries are read from the right, none longer than
 * {@link #MAX_ENTRY} characters, so a huge header costs no more than a small one. Only IP literals are accepted
 * (nothing is ever resolved through DNS).
 */
public final class ClientAddress {

    static final int MAX_HOPS = 16;
    static final int MAX_ENTRY = 64;

    private final List<Cidr> trustedProxies;

    public ClientAddress(List<String> trustedProxies) {
        List<Cidr> parsed = new ArrayList<>();
        for (String cidr : trustedProxies) {
            if (!cidr.isBlank()) {
                parsed.add(Cidr.parse(cidr.trim()));
            }
        }
        this.trustedProxies = List.copyOf(parsed);
    }

    /**
     * The client's address bytes (4 for IPv4, also for an IPv4-mapped IPv6 peer; else 16), or null when the peer
     * is not an IP address (a Unix socket).
     *
     * @param peer         the TCP peer's address as text
     * @param forwardedFor the values of every {@code X-Forwarded-For} header line, in the order received
     */
    public byte[] resolve(String peer, List<String> forwardedFor) {
        byte[] client = parse(peer);
        if (client == null || forwardedFor == null || forwardedFor.isEmpty() || !isTrusted(client)) {
            return client;
        }
        int hops = 0;
        for (int line = forwardedFor.size() - 1; line >= 0; line--) {
            String value = forwardedFor.get(line);
            if (value == null) {
                continue;
            }
            int end = value.length();
            while (end > 0) {
                if (++hops > MAX_HOPS) {
                    return client;
                }
                int comma = lastComma(value, end);
                if (comma == -2) {
                    return client; // an entry longer than any address: stop at the last trusted hop
                }
                String entry = value.substring(comma + 1, end).trim();
                end = comma;
                if (entry.isEmpty()) {
                    continue;
                }
                byte[] hop = parse(stripPort(entry));
                if (hop == null) {
                    return client; // not an address ("unknown", garbage): the last trusted hop is all we know
                }
                client = hop;
                if (!isTrusted(client)) {
                    return client;
                }
            }
        }
        return client;
    }

    /** The key a client is counted under: its IPv4 address, or the /64 network of its IPv6 address. */
    public static String key(byte[] address) {
        if (address == null) {
            return "local";
        }
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        // one subscriber usually holds a whole /64: counting single IPv6 addresses would let it rotate freely
        return HexFormat.of().formatHex(address, 0, 8) + "::/64";
    }

    boolean isTrusted(byte[] address) {
        for (Cidr cidr : trustedProxies) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The index of the comma before {@code end}, -1 when there is none, -2 when the entry is too long. */
    private static int lastComma(String value, int end) {
        int floor = Math.max(-1, end - MAX_ENTRY - 1);
        for (int i = end - 1; i > floor; i--) {
            if (value.charAt(i) == ',') {
                return i;
            }
        }
        if (floor == -1) {
            return -1;
        }
        // more than MAX_ENTRY characters without a comma: no address is that long
        return -2;
    }

    private static String stripPort(String entry) {
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            return close < 0 ? entry : entry.substring(1, close);
        }
        int colon = entry.indexOf(':');
        if (colon > 0 && colon == entry.lastIndexOf(':')) {
            return entry.substring(0, colon); // IPv4 with a port
        }
        return entry;
    }

    /** An IP literal as bytes, IPv4-mapped IPv6 folded to IPv4; null when the text is not an IP literal. */
    static byte[] parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_ENTRY) {
            return null;
        }
        int zone = text.indexOf('%');
        String literal = zone > 0 ? text.substring(0, zone) : text;
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
        if (bytes == null) {
            return null;
        }
        if (bytes.length == 16 && isIpv4Mapped(bytes)) {
            byte[] v4 = new byte[4];
            System.arraycopy(bytes, 12, v4, 0, 4);
            return v4;
        }
        return bytes;
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    /** An address range: {@code 10.0.0.0/8}, {@code fd00::/8}, or a single address. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            byte[] address = ClientAddress.parse(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("lunas.rate-limit.trusted-proxies: '" + text + "' is not an address or CIDR");
            }
            int bits = address.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (text.contains(".") && address.length == 4 && text.contains(":")) {
                    prefix -= 96; // ::ffff:10.0.0.0/104 folded to IPv4
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("lunas.rate-limit.trusted-proxies: '" + text + "' has an invalid prefix length");
                }
            }
            return new Cidr(address, prefix);
        }

        boolean contains(byte[] address) {
            if (address == null || address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
