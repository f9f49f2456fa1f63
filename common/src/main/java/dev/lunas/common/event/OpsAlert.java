package dev.lunas.common.event;

import java.util.UUID;

/** Something a person must look at (late settlement, reversal, double payment, quota overrun). */
public record OpsAlert(String severity, String code, UUID orderId, String message) {

    public static OpsAlert critical(String code, UUID orderId, String message) {
        return new OpsAlert("critical", code, orderId, message);
    }
}
