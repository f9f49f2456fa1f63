package dev.lunas.payment.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The body of {@code POST /snap/v1/transactions} (docs/midtrans.md §e). Amounts are whole rupiah. */
public record SnapTransaction(@JsonProperty("transaction_details") TransactionDetails transactionDetails,
                              @JsonProperty("item_details") List<Item> itemDetails,
                              @JsonProperty("customer_details") CustomerDetails customerDetails,
                              Expiry expiry,
                              Callbacks callbacks) {

    public record TransactionDetails(@JsonProperty("order_id") String orderId,
                                     @JsonProperty("gross_amount") long grossAmount) {
    }

    public record Item(String id, long price, int quantity, String name) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CustomerDetails(@JsonProperty("first_name") String firstName, String email, String phone) {
    }

    /** start_time "yyyy-MM-dd HH:mm:ss +0700"; without it Snap starts the clock only when a method is picked. */
    public record Expiry(@JsonProperty("start_time") String startTime, String unit, long duration) {
    }

    public record Callbacks(String finish) {
    }
}
