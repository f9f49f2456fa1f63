package dev.lunas.payment.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Snap's 201 answer. The redirect URL's shape changes between Snap versions, so it is never parsed. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnapToken(String token, @JsonProperty("redirect_url") String redirectUrl) {
}
