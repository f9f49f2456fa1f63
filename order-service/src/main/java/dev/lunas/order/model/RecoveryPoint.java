package dev.lunas.order.model;

/** How far a checkout under one Idempotency-Key has come (Brandur Leach's recovery points). */
public enum RecoveryPoint {
    /** Claimed inside the first transaction; never visible once it commits. */
    STARTED,
    /** The order exists; the payment step is still owed. */
    ORDER_CREATED,
    /** The answer is stored and is replayed to every repetition of the request. */
    FINISHED
}
