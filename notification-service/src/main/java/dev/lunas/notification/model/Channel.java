package dev.lunas.notification.model;

/** How a delivery leaves: stored in {@code delivery.channel}. */
public enum Channel {
    EMAIL, WHATSAPP, INTERNAL
}
