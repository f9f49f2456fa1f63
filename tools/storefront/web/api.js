// Every call the demo storefront makes to order-service goes through this module. It is a thin layer over
// vendor/lunas-storefront.js, the client compiled from tools/storefront/contract/src/lunas-storefront.ts and
// type-checked against the OpenAPI document order-service serves (tools/storefront/contract/generate), so the pages
// use the API exactly as the contract says. Each function answers what the generated client answers:
//   { ok: true, status, data, retryAfterSeconds, replayed } for a 2xx,
//   { ok: false, status, problem, retryAfterSeconds, replayed } with the RFC 9457 problem for anything else;
// a network failure rejects the promise.
import { createStorefrontClient, newIdempotencyKey, problemSlug, fieldErrors, FINAL_STATUSES }
    from "./vendor/lunas-storefront.js";
import { config } from "./config.js";

const client = createStorefrontClient(config.apiBaseUrl);

export { newIdempotencyKey, problemSlug, fieldErrors, FINAL_STATUSES };

/** GET /api/packages: the packages on sale. */
export function listPackages() {
  return client.listPackages();
}

/**
 * POST /api/orders with the form's fields and the attempt's Idempotency-Key (send the same key again, with the same
 * fields, to repeat the attempt: the answer is then the first one, never a second order).
 */
export function checkout(form, idempotencyKey) {
  const request = {
    packageId: form.packageId,
    customer: { name: form.name, email: form.email, phone: form.phone },
  };
  return client.checkout(request, idempotencyKey);
}

/**
 * GET /api/orders/{orderId}. Without options: one look. With options ({ onUpdate, signal, firstDelayMs, maxDelayMs,
 * timeoutMs }): looks again with a growing wait (1 s, then half as long again each time, up to 10 s; longer when a 429
 * or 503 says so) until the order is PAID, FAILED or EXPIRED, calling onUpdate with every state seen.
 */
export function orderStatus(orderId, options) {
  return options ? client.pollOrder(orderId, options) : client.orderStatus(orderId);
}

/** POST /api/orders/{orderId}/pay: the order with its Snap payment (the same token while that payment is open). */
export function payAgain(orderId) {
  return client.payAgain(orderId);
}
