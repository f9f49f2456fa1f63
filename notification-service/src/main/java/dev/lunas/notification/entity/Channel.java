package dev.lunas.notification.entity;

/** How a delivery leaves: stored in {@code delivery.channel}. */
public enum Channel {
    EMAIL, WHATSAPP, INTERNAL
}
