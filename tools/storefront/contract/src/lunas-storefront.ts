// The storefront's client of order-service: list the packages, check out, follow an order until it is paid, pay
// again. Every path, method, operation, header and body here is typed by lunas-api.d.ts, which openapi-typescript
// generates from order-service's live OpenAPI document (./generate), so a change of the API that breaks this module
// fails the build (tools/system-tests' StorefrontContractTest) instead of the storefront.
//
// Compiled by ./generate to tools/storefront/web/vendor/lunas-storefront.js: a plain ES module with no imports,
// usable by a page without a build step:
//
//   import { createStorefrontClient, newIdempotencyKey } from "./vendor/lunas-storefront.js";
//   const lunas = createStorefrontClient("http://localhost:8081");
//   const answer = await lunas.checkout(request, key);
//   if (answer.ok) { /* answer.data is the order */ } else { /* answer.problem is the RFC 9457 problem */ }
//
// A network failure (no answer at all) rejects the returned promise with fetch's TypeError.

import type { components, operations, paths } from "./lunas-api.js";

export type Package = components["schemas"]["Package"];
export type Order = components["schemas"]["Order"];
export type OrderStatus = components["schemas"]["OrderStatus"];
export type PaymentLink = components["schemas"]["PaymentLink"];
export type CheckoutRequest = components["schemas"]["CheckoutRequest"];
export type Problem = components["schemas"]["Problem"];

/** What one call answered: the body of a 2xx, or the problem of any other status, with the headers that matter. */
export type Answer<T> =
    | { ok: true; status: number; data: T; retryAfterSeconds: number | null; replayed: boolean }
    | { ok: false; status: number; problem: Problem; retryAfterSeconds: number | null; replayed: boolean };

// The paths and methods this module calls, checked against the document: each must be the operation of that id.
const PACKAGES = "/api/packages" satisfies keyof paths;
const ORDERS = "/api/orders" satisfies keyof paths;
const ORDER = "/api/orders/{orderId}" satisfies keyof paths;
const PAY_AGAIN = "/api/orders/{orderId}/pay" satisfies keyof paths;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;
export type OperationsAreWhereThisModuleCallsThem = [
    Check<Same<paths[typeof PACKAGES]["get"], operations["listPackages"]>>,
    Check<Same<paths[typeof ORDERS]["post"], operations["createCheckout"]>>,
    Check<Same<paths[typeof ORDER]["get"], operations["getOrder"]>>,
    Check<Same<paths[typeof PAY_AGAIN]["post"], operations["payAgain"]>>,
];

type Responses<Op extends keyof operations> = operations[Op]["responses"];
type JsonOf<R> = R extends { content: { "application/json": infer T } } ? T : never;
type ProblemOf<R> = R extends { content: { "application/problem+json": infer P } } ? P : never;
/** The body of an operation's 2xx answer. */
type Success<Op extends keyof operations> = JsonOf<Responses<Op>[200 & keyof Responses<Op>]>
    | JsonOf<Responses<Op>[201 & keyof Responses<Op>]>;
/** The bodies of all its other answers: each must be a Problem, so `problem` below is what the document says. */
type Failure<Op extends keyof operations> = ProblemOf<Responses<Op>[Exclude<keyof Responses<Op>, 200 | 201>]>;
export type EveryErrorIsAProblem = [
    Check<Same<Failure<"listPackages">, Problem>>,
    Check<Same<Failure<"createCheckout">, Problem>>,
    Check<Same<Failure<"getOrder">, Problem>>,
    Check<Same<Failure<"payAgain">, Problem>>,
];

type CheckoutHeaders = operations["createCheckout"]["parameters"]["header"];
type OrderPath = operations["getOrder"]["parameters"]["path"];
type PayAgainPath = operations["payAgain"]["parameters"]["path"];

/** The statuses after which an order never changes again (a late payment of an EXPIRED order aside). */
export const FINAL_STATUSES: readonly OrderStatus[] = ["PAID", "FAILED", "EXPIRED"];

/** How pollOrder waits between two looks at the order. */
export interface PollOptions {
    /** The first wait, in milliseconds (1000). */
    firstDelayMs?: number;
    /** Waits grow by half each time up to this (10000). */
    maxDelayMs?: number;
    /** Give up after this long and answer the last state seen (10 minutes). */
    timeoutMs?: number;
    /** Called with every answer that carried the order, final or not. */
    onUpdate?: (order: Order) => void;
    /** Stops polling: the promise rejects with the signal's reason. */
    signal?: AbortSignal;
}

export interface StorefrontClient {
    /** GET /api/packages (listPackages). */
    listPackages(): Promise<Answer<Package[]>>;
    /**
     * POST /api/orders (createCheckout). Use one key per checkout attempt and send it again, with the same request,
     * when you repeat the attempt (a timeout, a reload, a 409 idempotency-key-in-use or a 503): the answer is then
     * the first one, with `replayed` set, and never a second order.
     */
    checkout(request: CheckoutRequest, idempotencyKey: string): Promise<Answer<Order>>;
    /** GET /api/orders/{orderId} (getOrder). */
    orderStatus(orderId: string): Promise<Answer<Order>>;
    /** POST /api/orders/{orderId}/pay (payAgain): the order with its Snap token, the same one while pending. */
    payAgain(orderId: string): Promise<Answer<Order>>;
    /**
     * Looks at the order until its status is final (PAID, FAILED or EXPIRED) or the time is up, waiting longer each
     * time and as long as a 429 or 503 asks; answers the last answer. A problem other than 429 or 503 (a 404) ends it.
     */
    pollOrder(orderId: string, options?: PollOptions): Promise<Answer<Order>>;
}

/** A client of the order-service at `baseUrl` (e.g. http://localhost:8081, without a trailing slash). */
export function createStorefrontClient(baseUrl: string, fetchImpl: typeof fetch = (input, init) => fetch(input, init)): StorefrontClient {
    const base = baseUrl.replace(/\/+$/, "");

    async function call<Op extends keyof operations>(url: string, init: RequestInit): Promise<Answer<Success<Op>>> {
        const response = await fetchImpl(base + url, { ...init, headers: { Accept: "application/json", ...init.headers } });
        const retryAfterSeconds = parseRetryAfter(response.headers.get("Retry-After"));
        const replayed = response.headers.get("Idempotent-Replayed") === "true";
        const body: unknown = await response.json().catch(() => null);
        if (response.ok) {
            return { ok: true, status: response.status, data: body as Success<Op>, retryAfterSeconds, replayed };
        }
        const problem = isProblem(body) ? body : {
            // RFC 9457's type for a problem that has no more specific one: here an answer that was not ours (a proxy)
            type: "about:blank",
            title: response.statusText || "HTTP " + response.status,
            status: response.status,
            detail: "The server answered " + response.status + " without a problem description",
        };
        return { ok: false, status: response.status, problem, retryAfterSeconds, replayed };
    }

    const client: StorefrontClient = {
        listPackages() {
            return call<"listPackages">(PACKAGES, { method: "GET" });
        },
        checkout(request, idempotencyKey) {
            const headers: CheckoutHeaders = { "Idempotency-Key": idempotencyKey };
            return call<"createCheckout">(ORDERS, {
                method: "POST",
                headers: { ...headers, "Content-Type": "application/json" },
                body: JSON.stringify(request),
            });
        },
        orderStatus(orderId) {
            const path: OrderPath = { orderId };
            return call<"getOrder">(fill(ORDER, path), { method: "GET" });
        },
        payAgain(orderId) {
            const path: PayAgainPath = { orderId };
            return call<"payAgain">(fill(PAY_AGAIN, path), { method: "POST" });
        },
        async pollOrder(orderId, options = {}) {
            const maxDelay = options.maxDelayMs ?? 10_000;
            const deadline = Date.now() + (options.timeoutMs ?? 600_000);
            let delay = options.firstDelayMs ?? 1_000;
            for (;;) {
                const answer = await client.orderStatus(orderId);
                if (answer.ok) {
                    options.onUpdate?.(answer.data);
                    if (FINAL_STATUSES.includes(answer.data.status)) {
                        return answer;
                    }
                } else if (answer.status !== 429 && answer.status !== 503) {
                    return answer;
                }
                const wait = Math.max(delay, (answer.retryAfterSeconds ?? 0) * 1000);
                if (Date.now() + wait > deadline) {
                    return answer;
                }
                await sleep(wait, options.signal);
                delay = Math.min(maxDelay, Math.round(delay * 1.5));
            }
        },
    };
    return client;
}

/** A new Idempotency-Key for a new checkout attempt (a UUID: 36 printable characters). */
export function newIdempotencyKey(): string {
    if (typeof crypto.randomUUID === "function") {
        return crypto.randomUUID();
    }
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6]! & 0x0f) | 0x40;
    bytes[8] = (bytes[8]! & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
}

/** The problem's kind: the last part of its type ("sold-out" for https://lunas.dev/problems/sold-out). */
export function problemSlug(problem: Problem): string {
    return problem.type.substring(problem.type.lastIndexOf("/") + 1);
}

/** A validation-failed problem's messages by field path ("customer.phone"), to show next to the form's fields. */
export function fieldErrors(problem: Problem): Record<string, string> {
    const messages: Record<string, string> = {};
    for (const error of problem.errors ?? []) {
        messages[error.field] = messages[error.field] ? messages[error.field] + "; " + error.message : error.message;
    }
    return messages;
}

function fill(template: string, parameters: Record<string, string>): string {
    return template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(parameters[name] ?? ""));
}

/** Retry-After as seconds: a number of seconds or an HTTP date; null when absent or unreadable. */
function parseRetryAfter(value: string | null): number | null {
    if (value === null || value.trim() === "") {
        return null;
    }
    if (/^\s*\d+\s*$/.test(value)) {
        return Number(value);
    }
    const at = Date.parse(value);
    return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function isProblem(body: unknown): body is Problem {
    if (typeof body !== "object" || body === null) {
        return false;
    }
    const candidate = body as Record<string, unknown>;
    return typeof candidate["type"] === "string" && typeof candidate["title"] === "string"
        && typeof candidate["status"] === "number" && typeof candidate["detail"] === "string";
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
        if (signal?.aborted) {
            reject(signal.reason);
            return;
        }
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener("abort", () => {
            clearTimeout(timer);
            reject(signal.reason);
        }, { once: true });
    });
}
