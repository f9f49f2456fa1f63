package dev.lunas.order.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lunas.order.model.CatalogPackage;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Package")
public record PackageView(
        @Schema(required = true, examples = "ai-movie-course") String id,
        @Schema(required = true, examples = "Buat Film Pakai AI") String name,
        @Schema(required = true, description = "Price in rupiah") long price,
        @Schema(required = true, examples = "IDR") String currency,
        @Schema(description = "Places left; absent when the package is unlimited")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        Integer remainingQuota) {

    public static PackageView of(CatalogPackage pkg) {
        return new PackageView(pkg.id(), pkg.name(), pkg.price(), pkg.currency(), pkg.remaining());
    }
}
