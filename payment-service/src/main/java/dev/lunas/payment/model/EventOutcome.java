package dev.lunas.payment.model;

/** What was done with a recorded payment fact. */
public enum EventOutcome {
    /** It changed the attempt or produced an event. */
    APPLIED,
    /** Valid but changes nothing: stale, out of order, still undecided, or unknown status. */
    IGNORED,
    /** Validly signed, but for an order this service has no attempt for. */
    UNKNOWN_ORDER,
    /** A claim only Get Status may confirm (money for a closed attempt, anything taking money or access away). */
    AWAITING_CONFIRMATION,
    /** Get Status reported it too and it was applied. */
    CONFIRMED,
    /** Get Status did not report it; nothing was applied. */
    NOT_CONFIRMED,
    /** A refund or chargeback that arrived before its settlement; re-evaluated when the settlement applies. */
    DEFERRED,
    /** Validly signed, but its amount or currency is not the attempt's: nothing applied, an alert raised. */
    AMOUNT_MISMATCH
}
