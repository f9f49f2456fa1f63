package dev.lunas.legacyimport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunas.legacyimport.LegacyRules.Checked;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LegacyRulesTest {

    private static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");
    private static final LegacyRules RULES = new LegacyRules(ZoneOffset.UTC, NOW);

    private static LegacyRow row(Object id, Object name, Object email, Object phone, Object amount, Object status,
                                 Object createdAt) {
        return new LegacyRow(7, id, name, email, phone, amount, status, createdAt);
    }

    private static LegacyRow good() {
        return row(42L, " Budi Santoso ", " Budi@Example.COM ", "0812-3456-7890", 99000L, "Paid", "2024-03-01 08:30:00");
    }

    private static LegacyRules.Valid accepted(LegacyRow row) {
        Checked checked = RULES.check(row);
        assertThat(checked).isInstanceOf(Checked.Accepted.class);
        return ((Checked.Accepted) checked).row();
    }

    private static List<String> refused(LegacyRow row) {
        Checked checked = RULES.check(row);
        assertThat(checked).isInstanceOf(Checked.Refused.class);
        return ((Checked.Refused) checked).reasons();
    }

    @Test
    void aGoodRowIsPutInTheFormOrderServiceStores() {
        LegacyRules.Valid valid = accepted(good());
        assertThat(valid.legacyId()).isEqualTo(42);
        assertThat(valid.name()).isEqualTo("Budi Santoso");
        assertThat(valid.email()).isEqualTo("budi@example.com");
        assertThat(valid.phone()).isEqualTo("+6281234567890");
        assertThat(valid.amount()).isEqualTo(99000);
        assertThat(valid.status()).isEqualTo(LegacyStatus.PAID);
        assertThat(valid.createdAt()).isEqualTo(Instant.parse("2024-03-01T08:30:00Z"));
        assertThat(valid.sha256()).hasSize(64).isEqualTo(good().sha256());
    }

    @Test
    void amountsAreWholeRupiahWithinReason() {
        assertThat(accepted(withAmount(99000.0)).amount()).isEqualTo(99000);
        assertThat(accepted(withAmount("99000")).amount()).isEqualTo(99000);
        assertThat(accepted(withAmount(99000)).amount()).isEqualTo(99000);
        assertThat(refused(withAmount(99000.5))).containsExactly("amount: not a whole number of rupiah");
        assertThat(refused(withAmount("Rp 99.000"))).containsExactly("amount: not a number of rupiah");
        assertThat(refused(withAmount("99000.00"))).containsExactly("amount: not a number of rupiah");
        assertThat(refused(withAmount(0L))).containsExactly("amount: must be at least 1 rupiah");
        assertThat(refused(withAmount(-99000L))).containsExactly("amount: must be at least 1 rupiah");
        assertThat(refused(withAmount(Double.NaN))).containsExactly("amount: not a number of rupiah");
        assertThat(refused(withAmount(99_000_000_000L))).containsExactly("amount: above 100000000 rupiah, not a plausible order");
        assertThat(refused(withAmount(null))).containsExactly("amount: missing");
    }

    @Test
    void statusesAreMappedOnlyWhenKnown() {
        assertThat(accepted(withStatus(" SETTLEMENT ")).status()).isEqualTo(LegacyStatus.PAID);
        assertThat(accepted(withStatus("pending")).status()).isEqualTo(LegacyStatus.EXPIRED);
        assertThat(accepted(withStatus("Cancelled")).status()).isEqualTo(LegacyStatus.FAILED);
        assertThat(refused(withStatus("refunded"))).containsExactly("status: unknown 'refunded'");
        assertThat(refused(withStatus("paid\n<script>"))).containsExactly("status: unknown value");
        assertThat(refused(withStatus(null))).containsExactly("status: missing");
        assertThat(refused(withStatus(1L))).containsExactly("status: unknown value");
    }

    @Test
    void createdAtIsReadInSqlitesFormsAndMustBePlausible() {
        assertThat(accepted(withCreatedAt("2024-03-01T08:30:00Z")).createdAt()).isEqualTo(Instant.parse("2024-03-01T08:30:00Z"));
        assertThat(accepted(withCreatedAt("2024-03-01 15:30:00+07:00")).createdAt()).isEqualTo(Instant.parse("2024-03-01T08:30:00Z"));
        assertThat(accepted(withCreatedAt("2024-03-01 08:30:00.250")).createdAt()).isEqualTo(Instant.parse("2024-03-01T08:30:00.250Z"));
        assertThat(accepted(withCreatedAt(1_709_281_800L)).createdAt()).isEqualTo(Instant.parse("2024-03-01T08:30:00Z"));
        Checked inJakarta = new LegacyRules(ZoneId.of("Asia/Jakarta"), NOW).check(withCreatedAt("2024-03-01 15:30:00"));
        assertThat(((Checked.Accepted) inJakarta).row().createdAt()).isEqualTo(Instant.parse("2024-03-01T08:30:00Z"));
        assertThat(refused(withCreatedAt(1_709_281_800_000L))).containsExactly("created_at: not a date and time");
        assertThat(refused(withCreatedAt("01/03/2024"))).containsExactly("created_at: not a date and time");
        assertThat(refused(withCreatedAt("2024-02-30 10:00:00"))).containsExactly("created_at: not a date and time");
        assertThat(refused(withCreatedAt("2001-01-01 10:00:00"))).containsExactly("created_at: outside 2015-01-01T00:00:00Z … now");
        assertThat(refused(withCreatedAt("2030-01-01 10:00:00"))).containsExactly("created_at: outside 2015-01-01T00:00:00Z … now");
        assertThat(refused(withCreatedAt(null))).containsExactly("created_at: missing");
    }

    @Test
    void contactDataIsCheckedAndNeverQuotedInAReason() {
        List<String> reasons = refused(row(1L, "Budi", "budi@@example", "021-555-1234", 99000L, "paid", "2024-03-01 08:30:00"));
        assertThat(reasons).containsExactly("email: not a valid address", "phone: not an Indonesian mobile number");
        assertThat(String.join(" ", reasons)).doesNotContain("budi@").doesNotContain("555");
        assertThat(refused(row(1L, "Budi", null, " ", 99000L, "paid", "2024-03-01 08:30:00")))
                .containsExactly("email: missing", "phone: missing");
        // a number stored as an integer column keeps its digits: 62… is a number, 8… without a prefix is not
        assertThat(accepted(row(1L, "Budi", "b@contoh.co.id", 6281234567890L, 99000L, "paid", "2024-03-01 08:30:00")).phone())
                .isEqualTo("+6281234567890");
        assertThat(refused(row(1L, "Budi", "b@contoh.co.id", 81234567890L, 99000L, "paid", "2024-03-01 08:30:00")))
                .containsExactly("phone: not an Indonesian mobile number");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "B", "Budi\u0000Santoso"})
    void namesFollowTheCheckoutRule(String name) {
        assertThat(refused(row(1L, name, "b@contoh.co.id", "081234567890", 99000L, "paid", "2024-03-01 08:30:00")))
                .singleElement().asString().startsWith("customerName: ");
    }

    @Test
    void anUnusableIdIsReportedByTheRowsPlace() {
        LegacyRow noId = row(null, "Budi", "b@contoh.co.id", "081234567890", 99000L, "paid", "2024-03-01 08:30:00");
        assertThat(RULES.check(noId)).isEqualTo(new Checked.Refused("row:7", List.of("id: missing")));
        assertThat(refused(row("A-17", "Budi", "b@contoh.co.id", "081234567890", 99000L, "paid", "2024-03-01 08:30:00")))
                .containsExactly("id: not a whole number");
        assertThat(accepted(row("17", "Budi", "b@contoh.co.id", "081234567890", 99000L, "paid", "2024-03-01 08:30:00"))
                .legacyId()).isEqualTo(17);
    }

    @Test
    void everyReasonOfABrokenRowIsGiven() {
        assertThat(refused(row(-1L, null, "x", "x", "x", "x", "x"))).containsExactly("id: not a whole number",
                "customerName: missing", "email: not a valid address", "phone: not an Indonesian mobile number",
                "amount: not a number of rupiah", "status: unknown 'x'", "created_at: not a date and time");
    }

    @Test
    void theFingerprintTellsAChangedRowFromTheSameOne() {
        assertThat(withStatus("pending").sha256()).isNotEqualTo(withStatus("paid").sha256());
        assertThat(withAmount(99000L).sha256()).isNotEqualTo(withAmount("99000").sha256());
        assertThat(withAmount(99000L).sha256()).isEqualTo(withAmount(99000L).sha256());
    }

    private static LegacyRow withAmount(Object amount) {
        LegacyRow g = good();
        return row(g.id(), g.customerName(), g.email(), g.phone(), amount, g.status(), g.createdAt());
    }

    private static LegacyRow withStatus(Object status) {
        LegacyRow g = good();
        return row(g.id(), g.customerName(), g.email(), g.phone(), g.amount(), status, g.createdAt());
    }

    private static LegacyRow withCreatedAt(Object createdAt) {
        LegacyRow g = good();
        return row(g.id(), g.customerName(), g.email(), g.phone(), g.amount(), g.status(), createdAt);
    }
}
