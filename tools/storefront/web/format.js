// Presentation helpers shared by the pages: rupiah from integers, times in WIB, the attempt kept in sessionStorage.

const RUPIAH = new Intl.NumberFormat("id-ID");
const WIB = new Intl.DateTimeFormat("id-ID", {
  timeZone: "Asia/Jakarta", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit",
});

/** 99000 → "Rp 99.000" (amounts are whole rupiah, integers in the API). */
export function rupiah(amount) {
  return "Rp " + RUPIAH.format(amount);
}

/** An ISO instant as Jakarta time: "4 Desember 2026 pukul 20.25 WIB". */
export function wib(instant) {
  return WIB.format(new Date(instant)) + " WIB";
}

/** The text of an element found by id; an element that is missing is a bug of the page. */
export function byId(id) {
  const element = document.getElementById(id);
  if (!element) {
    throw new Error("No element #" + id);
  }
  return element;
}

/** A new element with text (never HTML: names and messages come from people and servers). */
export function element(tag, text, className) {
  const made = document.createElement(tag);
  if (text !== undefined && text !== null) {
    made.textContent = text;
  }
  if (className) {
    made.className = className;
  }
  return made;
}

const CUSTOMER = "lunas.customer";

/** The customer's details, remembered for this tab so that "coba lagi" does not ask for them again. */
export function rememberCustomer(customer) {
  sessionStorage.setItem(CUSTOMER, JSON.stringify(customer));
}

export function rememberedCustomer() {
  try {
    return JSON.parse(sessionStorage.getItem(CUSTOMER) ?? "null");
  } catch {
    return null;
  }
}

const ATTEMPT = "lunas.checkout-attempt";

/**
 * The Idempotency-Key of this checkout attempt. An attempt is one request body: sending the same fields again (a
 * retry after a timeout, a 503 or a reload of the page) reuses its key, so order-service answers with the first
 * answer instead of making a second order; changed fields are a new attempt with a new key. Kept in sessionStorage,
 * so it survives reloads of the tab and ends with it.
 */
export function attemptKey(body, newKey) {
  let stored = null;
  try {
    stored = JSON.parse(sessionStorage.getItem(ATTEMPT) ?? "null");
  } catch {
    stored = null;
  }
  if (stored && stored.body === body && typeof stored.key === "string") {
    return stored.key;
  }
  const key = newKey();
  sessionStorage.setItem(ATTEMPT, JSON.stringify({ key, body }));
  return key;
}

/** The attempt has a final answer (sold out, refused, or its order closed): the next checkout is a new attempt. */
export function endAttempt() {
  sessionStorage.removeItem(ATTEMPT);
}
