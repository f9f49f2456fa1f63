package dev.lunas.payment.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MidtransSignatureTest {

    private static final String DOCS_SERVER_KEY = "askvnoibnosifnboseofinbofinfgbiufglnbfg";

    @Test
    void officialTestVectorFromTheMidtransDocs() {
        assertThat(MidtransSignature.compute("1111", "200", "100000.00", DOCS_SERVER_KEY)).isEqualTo(
                "edc076b21793ebe3e17926350f5b8ae67d902fe657b3d0aa31b932d5c127e2375d308a2bc94f3265ac2d80a1f181a79b997ac178a236fcff35af263fc4d4c231");
    }

    @Test
    void theAmountIsHashedAsTheExactStringSoADroppedScaleSignsDifferently() {
        String withDecimals = MidtransSignature.compute("1111", "200", "100000.00", DOCS_SERVER_KEY);
        String withoutDecimals = MidtransSignature.compute("1111", "200", "100000", DOCS_SERVER_KEY);
        assertThat(withoutDecimals).startsWith("5f363520e86c10c2").endsWith("8411a").isNotEqualTo(withDecimals);
    }

    @Test
    void theSignatureIs128LowercaseHexCharacters() {
        assertThat(MidtransSignature.compute("order", "201", "1.00", "key")).matches("[0-9a-f]{128}");
    }
}
