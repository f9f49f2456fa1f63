package dev.lunas.payment.model;

/** How far the creation of the Snap transaction got (recovery points, docs/reliability.md §1.3). */
public enum RecoveryPoint {
    /** The attempt row is committed; no token is stored (the Snap call has not run, failed, or timed out). */
    STARTED,
    /** The Snap token is stored; asking again returns it. */
    TOKEN_CREATED,
    /** Midtrans holds a transaction for the order (a method was chosen) whose token we never stored. */
    PROVIDER_TRANSACTION
}
