// The checkout: the package, the customer's name, email and WhatsApp number, and one "Bayar sekarang" button. One
// Idempotency-Key per attempt (format.js attemptKey), sent again with every repeat of the same attempt; the button
// is disabled from the first click until the answer is in, so a double click makes one order. What order-service
// answers is shown as docs/storefront.md says: field messages next to the fields, a sold-out package without a
// button, waits that repeat the same attempt by themselves, and on 201 the Snap popup.
import { checkout, listPackages, newIdempotencyKey, problemSlug, fieldErrors } from "./api.js";
import { attemptKey, byId, element, endAttempt, rememberCustomer, rememberedCustomer, rupiah } from "./format.js";
import { finishUrl, openPayment } from "./payment.js";

const packageId = new URLSearchParams(window.location.search).get("paket") ?? "";
const form = byId("checkout-form");
const pay = byId("pay");
const notice = byId("notice");
const FIELDS = { "customer.name": "name", "customer.email": "email", "customer.phone": "phone" };
/** Repeats of one attempt after a 409 in progress or a 503, each after the Retry-After the answer gave. */
const MAX_AUTOMATIC_REPEATS = 3;
let busy = false;

function say(text, kind) {
  notice.textContent = text;
  notice.className = "notice " + kind;
  notice.hidden = false;
}

function soldOut() {
  form.remove();
  say("Maaf, paket ini sudah habis terjual. Tidak ada yang perlu dibayar.", "bad");
  notice.dataset.problem = "sold-out";
  const back = element("a", "Lihat paket lain", "button secondary");
  back.href = "/";
  notice.after(back);
}

function showPackage(offer) {
  byId("title").textContent = offer.name;
  const box = byId("package");
  const limited = typeof offer.remainingQuota === "number";
  const places = !limited ? "Akses kursus langsung aktif setelah pembayaran diterima."
      : offer.remainingQuota > 0 ? "Sisa " + offer.remainingQuota + " tempat. Tempat Anda kami tahan sebentar selama Anda membayar."
          : "Habis terjual.";
  box.replaceChildren(element("p", rupiah(offer.price), "price"), element("p", places, "places"));
  box.hidden = false;
}

function clearErrors() {
  for (const holder of form.querySelectorAll(".error")) {
    holder.textContent = "";
    holder.hidden = true;
  }
  for (const input of form.querySelectorAll("input")) {
    input.removeAttribute("aria-invalid");
  }
  notice.hidden = true;
  delete notice.dataset.problem;
}

/** validation-failed: the server's message for each field, next to it; anything else above the form. */
function showFieldErrors(problem) {
  const others = [];
  for (const [field, message] of Object.entries(fieldErrors(problem))) {
    const id = FIELDS[field];
    if (id) {
      const holder = byId("error-" + id);
      holder.textContent = message;
      holder.hidden = false;
      byId(id).setAttribute("aria-invalid", "true");
    } else {
      others.push(message);
    }
  }
  say("Periksa lagi data yang ditandai." + (others.length ? " " + others.join(" ") : ""), "bad");
  form.querySelector("[aria-invalid=true]")?.focus();
}

function wait(seconds) {
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}

/** Sends the attempt; repeats it (same key) when order-service asks to, within MAX_AUTOMATIC_REPEATS. */
async function send(values, key) {
  for (let repeat = 0; ; repeat++) {
    let answer;
    try {
      answer = await checkout(values, key);
    } catch {
      say("Koneksi terputus sebelum jawaban diterima. Tekan Bayar sekarang lagi: pesanan Anda tidak akan dibuat dua kali.", "bad");
      return;
    }
    if (answer.ok) {
      await paid(answer.data);
      return;
    }
    const slug = problemSlug(answer.problem);
    notice.dataset.problem = slug;
    const seconds = answer.retryAfterSeconds ?? 5;
    if ((slug === "idempotency-key-in-use" || answer.status === 503) && repeat < MAX_AUTOMATIC_REPEATS) {
      say(answer.status === 503 ? "Layanan sedang sibuk. Kami mencoba lagi dalam " + seconds + " detik…"
          : "Pesanan Anda sedang diproses…", "wait");
      await wait(seconds);
      continue;
    }
    refused(answer, slug, seconds);
    return;
  }
}

function refused(answer, slug, seconds) {
  switch (slug) {
    case "validation-failed":
      showFieldErrors(answer.problem);
      return;
    case "sold-out":
      endAttempt();
      soldOut();
      return;
    case "too-many-requests":
      say("Terlalu banyak percobaan. Coba lagi dalam " + seconds + " detik.", "bad");
      return;
    case "idempotency-key-in-use":
    case "service-unavailable":
      say("Layanan sedang sibuk. Tekan Bayar sekarang lagi dalam " + seconds + " detik: pesanan Anda tidak akan dibuat dua kali.", "bad");
      return;
    case "unknown-package":
      endAttempt();
      say("Paket ini tidak dijual lagi.", "bad");
      return;
    default:
      // payment-rejected, idempotency-key-reused and what a newer API may add: this attempt is over
      endAttempt();
      say("Pesanan belum bisa dibuat (" + answer.problem.title + "). Silakan coba lagi.", "bad");
  }
}

/** 201 (or its replay): the order exists; open Snap, or let the status page get the payment when it is not ready. */
async function paid(order) {
  form.hidden = true;
  say("Pesanan dibuat. Membuka halaman pembayaran…", "ok");
  const toStatus = () => window.location.assign(finishUrl(order.orderId));
  const closed = () => window.location.assign(finishUrl(order.orderId) + "&snap=closed");
  if (!order.payment) {
    toStatus();
    return;
  }
  await openPayment(order.payment, {
    onSuccess: toStatus,
    onPending: toStatus,
    onError: toStatus,
    // closed without paying: the order waits on its status page, where "Bayar sekarang" opens the same payment
    onClose: closed,
  });
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (busy) {
    return;
  }
  busy = true;
  pay.disabled = true;
  pay.textContent = "Memproses…";
  clearErrors();
  const values = { packageId, name: byId("name").value, email: byId("email").value, phone: byId("phone").value };
  rememberCustomer({ name: values.name, email: values.email, phone: values.phone });
  try {
    await send(values, attemptKey(JSON.stringify(values), newIdempotencyKey));
  } finally {
    busy = false;
    pay.disabled = false;
    pay.textContent = "Bayar sekarang";
  }
});

async function start() {
  let answer;
  try {
    answer = await listPackages();
  } catch {
    answer = null;
  }
  if (!answer || !answer.ok) {
    say("Paket belum bisa dimuat. Muat ulang halaman ini sebentar lagi.", "bad");
    return;
  }
  const offer = answer.data.find((candidate) => candidate.id === packageId);
  if (!offer) {
    say("Paket ini tidak ditemukan.", "bad");
    return;
  }
  showPackage(offer);
  if (typeof offer.remainingQuota === "number" && offer.remainingQuota <= 0) {
    soldOut();
    return;
  }
  const customer = rememberedCustomer();
  if (customer) {
    byId("name").value = customer.name ?? "";
    byId("email").value = customer.email ?? "";
    byId("phone").value = customer.phone ?? "";
  }
  form.hidden = false;
}

start();
