package dev.lunas.payment.entity;

/** What was done with a recorded payment fact. */
public enum EventOutcome {
    /** It changed the attempt or produced an event. */
    APPLIED,
    /** Valid but changes nothing: stale, out of order, still undecided, or unknown status. */
    IGNORED,
    /** Validly signed, but for an order this service has no attempt for. */
    UNKNOWN_ORDER,
    /** Money reported for a closed attempt; waits for Get Status to confirm it. */
    AWAITING_CONFIRMATION,
    /** Get Status confirmed it and the late settlement was applied. */
    CONFIRMED,
    /** Get Status did not confirm it; nothing was applied. */
    NOT_CONFIRMED
}
