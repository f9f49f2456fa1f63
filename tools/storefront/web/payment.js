// Opens Midtrans Snap for a payment of the order: the popup of snap.js (window.snap.pay(token, callbacks)), loaded
// from the Snap origin with the shop's client key, as docs/storefront.md describes. When snap.js cannot be loaded,
// the customer is sent to the payment's redirectUrl instead (Snap's hosted page), which brings them back to
// /payment/finish afterwards.
import { config } from "./config.js";

let loading = null;

function loadSnap() {
  if (window.snap) {
    return Promise.resolve(window.snap);
  }
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = config.snapJsUrl;
      script.dataset.clientKey = config.clientKey;
      script.onload = () => (window.snap ? resolve(window.snap) : reject(new Error("snap.js defined no window.snap")));
      script.onerror = () => {
        loading = null;
        script.remove();
        reject(new Error("snap.js could not be loaded from " + config.snapJsUrl));
      };
      document.head.append(script);
    });
  }
  return loading;
}

/**
 * Shows the payment page of `payment` ({ token, redirectUrl } from the order). callbacks: onSuccess, onPending,
 * onError (each with Snap's result) and onClose (the customer closed the popup without finishing).
 */
export async function openPayment(payment, callbacks) {
  let snap;
  try {
    snap = await loadSnap();
  } catch {
    window.location.assign(payment.redirectUrl);
    return;
  }
  try {
    snap.pay(payment.token, callbacks);
  } catch {
    // snap.js refused (no client key configured, a popup already open): Snap's hosted page does the same job
    window.location.assign(payment.redirectUrl);
  }
}

/** Where Snap's callbacks (and Snap's finish redirect) bring the customer: the order's status page. */
export function finishUrl(orderId) {
  return "/payment/finish?order_id=" + encodeURIComponent(orderId);
}
