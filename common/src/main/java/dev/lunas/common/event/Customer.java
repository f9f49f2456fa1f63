package dev.lunas.common.event;

/** Who to tell: the contact data a customer typed at checkout (phone in E.164, e.g. +6281234567890). */
public record Customer(String name, String email, String phone) {
}
