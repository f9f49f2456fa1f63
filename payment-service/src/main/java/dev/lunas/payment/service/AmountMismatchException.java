package dev.lunas.payment.service;

import dev.lunas.common.problem.Problem;
import dev.lunas.common.problem.ProblemException;

/**
 * A validly signed Midtrans fact whose amount or currency is not the attempt's. Nothing is written:
 * either someone tampered with the order at Midtrans or a fee setting changed the amount; a person
 * must look (the caller counts it and logs it as critical).
 */
public class AmountMismatchException extends ProblemException {

    public AmountMismatchException(String detail) {
        super(Problem.of(422, "amount-mismatch", "Amount mismatch", detail));
    }
}
