package dev.lunas.order.entity;

public enum DiscountKind {
    PERCENT,
    FIXED
}
