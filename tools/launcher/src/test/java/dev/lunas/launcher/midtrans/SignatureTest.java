package dev.lunas.launcher.midtrans;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SignatureTest {

    private static final String DOCS_SERVER_KEY = "askvnoibnosifnboseofinbofinfgbiufglnbfg";

    @Test
    void matchesTheOfficialTestVector() {
        // docs/midtrans.md §b: the handle-notifications sample input and its SHA-512
        assertThat(Signature.of("1111", "200", "100000.00", DOCS_SERVER_KEY)).isEqualTo(
                "edc076b21793ebe3e17926350f5b8ae67d902fe657b3d0aa31b932d5c127e2375d308a2bc94f3265ac2d80a1f181a79b997ac178a236fcff35af263fc4d4c231");
    }

    @Test
    void hashesTheAmountExactlyAsWritten() {
        assertThat(Signature.of("1111", "200", "100000", DOCS_SERVER_KEY))
                .startsWith("5f363520e86c10c2")
                .isNotEqualTo(Signature.of("1111", "200", "100000.00", DOCS_SERVER_KEY));
    }
}
