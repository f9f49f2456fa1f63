package dev.lunas.common.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Who a request is counted against: the TCP peer, or what a trusted proxy says in X-Forwarded-For. */
class RateLimitClientAddressTest {

    private static final ClientAddress BEHIND_PROXIES = new ClientAddress(List.of("10.0.0.0/8", "fd00::/8", " 192.168.1.1 "));
    private static final ClientAddress DIRECT = new ClientAddress(List.of());

    private static String client(ClientAddress addresses, String peer, String... forwardedFor) {
        return ClientAddress.key(addresses.resolve(peer, List.of(forwardedFor)));
    }

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        assertThat(client(DIRECT, "203.0.113.7", "198.51.100.1")).isEqualTo("203.0.113.7");
        assertThat(client(DIRECT, "203.0.113.7")).isEqualTo("203.0.113.7");
    }

    @Test
    void anUntrustedPeerCannotSpoofItsAddress() {
        assertThat(client(BEHIND_PROXIES, "203.0.113.7", "198.51.100.1")).isEqualTo("203.0.113.7");
        assertThat(client(BEHIND_PROXIES, "203.0.113.7", "10.0.0.1")).isEqualTo("203.0.113.7");
    }

    @Test
    void behindATrustedProxyTheRightMostUntrustedAddressIsTheClient() {
        // the client sent "6.6.6.6" itself; the proxy appended the address it saw
        assertThat(client(BEHIND_PROXIES, "10.0.0.5", "6.6.6.6, 198.51.100.1")).isEqualTo("198.51.100.1");
        // two proxies: the inner one's entry is skipped as trusted
        assertThat(client(BEHIND_PROXIES, "10.0.0.5", "6.6.6.6, 198.51.100.1, 10.1.2.3")).isEqualTo("198.51.100.1");
        assertThat(client(BEHIND_PROXIES, "192.168.1.1", "198.51.100.1")).isEqualTo("198.51.100.1");
        // header lines count as one list, the last line being the right-most part
        assertThat(client(BEHIND_PROXIES, "10.0.0.5", "6.6.6.6", "198.51.100.1")).isEqualTo("198.51.100.1");
        // nothing but proxies: the left-most of them
        assertThat(client(BEHIND_PROXIES, "10.0.0.5", "10.9.9.9")).isEqualTo("10.9.9.9");
        assertThat(client(BEHIND_PROXIES, "10.0.0.5")).isEqualTo("10.0.0.5");
    }

    @Test
    void portsBracketsAndMappedAddressesAreUnderstood() {
        assertThat(client(BEHIND_PROXIES, "10.0.0.5", "198.51.100.1:4711")).isEqualTo("198.51.100.1");
        assertThat(client(BEHIND_PROXIES, "::ffff:10.0.0.5", "198.51.100.1")).isEqualTo("198.51.100.1");
        assertThat(client(BEHIND_PROXIES, "fd00::1", "[2001:db8:1:2::9]:443"))
                .isEqualTo(client(BEHIND_PROXIES, "fd00::1", "2001:db8:1:2:ffff::1"));
        assertThat(client(DIRECT, "::ffff:198.51.100.1")).isEqualTo("198.51.100.1");
    }

    @Test
    void ipv6ClientsAreCountedByTheirSlash64() {
        assertThat(client(DIRECT, "2001:db8:1:2::1")).isEqualTo(client(DIRECT, "2001:db8:1:2:abcd::7"))
                .isNotEqualTo(client(DIRECT, "2001:db8:1:3::1"));
    }

    @Test
    void whatIsNotAnAddressEndsTheWalkAtTheLastTrustedHop() {
        assertThat(client(BEHIND_PROXIES, "10.0.0.5", "198.51.100.1, unknown")).isEqualTo("10.0.0.5");
        assertThat(client(BEHIND_PROXIES, "10.0.0.5", "198.51.100.1, localhost, 10.0.0.6")).isEqualTo("10.0.0.6");
        assertThat(client(BEHIND_PROXIES, "10.0.0.5", "198.51.100.1,,10.0.0.6")).isEqualTo("198.51.100.1");
        assertThat(ClientAddress.key(BEHIND_PROXIES.resolve(null, List.of("198.51.100.1")))).isEqualTo("local");
    }

    @Test
    void aHugeHeaderIsReadOnlyFromItsEndAndBoundedInHops() {
        String manyHops = "6.6.6.6, ".repeat(6_000) + "198.51.100.1";
        assertThat(manyHops.length()).isGreaterThan(50_000);
        assertThat(client(BEHIND_PROXIES, "10.0.0.5", manyHops)).isEqualTo("198.51.100.1");

        String oneGiantEntry = "1".repeat(60_000);
        assertThat(client(BEHIND_PROXIES, "10.0.0.5", oneGiantEntry)).isEqualTo("10.0.0.5");
        assertThat(client(BEHIND_PROXIES, "10.0.0.5", oneGiantEntry + ", 198.51.100.1")).isEqualTo("198.51.100.1");

        // more trusted hops than the bound: the walk stops at the last one it read
        String trustedChain = "198.51.100.1, " + "10.0.0.1, ".repeat(ClientAddress.MAX_HOPS) + "10.0.0.2";
        assertThat(client(BEHIND_PROXIES, "10.0.0.5", trustedChain)).startsWith("10.0.0.");

        // a 60 KB header costs what a short one does: ten thousand resolutions in well under the time a naive split takes
        long started = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            BEHIND_PROXIES.resolve("10.0.0.5", List.of(manyHops));
            BEHIND_PROXIES.resolve("10.0.0.5", List.of(oneGiantEntry));
        }
        assertThat((System.nanoTime() - started) / 1_000_000).as("ms for 20,000 resolutions of 60 KB headers").isLessThan(3_000);
    }

    @Test
    void trustedProxiesMustBeAddressesOrCidrs() {
        assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/33"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientAddress(List.of("proxy.internal"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("proxy.internal");
        ClientAddress narrow = new ClientAddress(List.of("10.1.0.0/17"));
        assertThat(narrow.isTrusted(ClientAddress.parse("10.1.127.255"))).isTrue();
        assertThat(narrow.isTrusted(ClientAddress.parse("10.1.128.0"))).isFalse();
        assertThat(new ClientAddress(List.of("::/0")).isTrusted(ClientAddress.parse("2001:db8::1"))).isTrue();
        assertThat(new ClientAddress(List.of("0.0.0.0/0")).isTrusted(ClientAddress.parse("2001:db8::1"))).isFalse();
    }
}
