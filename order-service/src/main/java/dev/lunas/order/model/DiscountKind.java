package dev.lunas.order.model;

public enum DiscountKind {
    PERCENT,
    FIXED
}
