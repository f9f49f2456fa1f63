// The order's status page, and Snap's finish URL (/payment/finish?order_id=…): it trusts none of the query
// parameters Midtrans adds but the order id, and asks order-service for the order with a growing wait until it is
// PAID, FAILED or EXPIRED. Pending: "Bayar sekarang" opens the order's payment again (the same Snap payment while it
// is open); paid: the access link; failed or expired: "Coba lagi", a new checkout with the details kept in this tab.
import { orderStatus, payAgain, problemSlug, FINAL_STATUSES } from "./api.js";
import { config } from "./config.js";
import { byId, element, endAttempt, rupiah, wib } from "./format.js";
import { openPayment } from "./payment.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const query = new URLSearchParams(window.location.search);
const orderId = query.get("order_id") ?? "";
const box = byId("order");
const notice = byId("notice");
let polling = null;

function say(text, kind) {
  notice.textContent = text;
  notice.className = "notice " + kind;
  notice.hidden = false;
}

function quiet() {
  notice.hidden = true;
}

const STATUS = {
  CREATED: ["Menunggu pembayaran", "pending"],
  PENDING_PAYMENT: ["Menunggu pembayaran", "pending"],
  PAID: ["Pembayaran berhasil", "paid"],
  FAILED: ["Pembayaran gagal", "failed"],
  EXPIRED: ["Waktu pembayaran habis", "expired"],
};

function render(order) {
  const [label, kind] = STATUS[order.status] ?? [order.status, "pending"];
  const status = element("p", label, "status " + kind);
  status.id = "order-status";
  status.dataset.status = order.status;
  const summary = element("dl", null, "summary");
  for (const [term, value] of [["Paket", order.packageName], ["Total", rupiah(order.amount)], ["Nomor pesanan", order.orderId]]) {
    summary.append(element("dt", term), element("dd", value));
  }
  const parts = [status, summary];
  const actions = element("div", null, "actions");
  if (order.status === "CREATED" || order.status === "PENDING_PAYMENT") {
    parts.push(element("p", "Selesaikan pembayaran sebelum " + wib(order.expiresAt) + ". Halaman ini diperbarui sendiri."));
    if (order.placeHeldUntil) {
      const hold = element("p", "Tempat Anda di kelas ini kami tahan sampai " + wib(order.placeHeldUntil)
          + ". Jika belum dibayar sampai saat itu, tempatnya kami lepas untuk pembeli lain.", "notice wait");
      hold.id = "hold";
      parts.push(hold);
    }
    const again = element("button", "Bayar sekarang");
    again.id = "pay-again";
    again.addEventListener("click", () => payAgainClicked(again));
    actions.append(again);
  } else if (order.status === "PAID") {
    parts.push(element("p", "Terima kasih! Pembayaran Anda sudah kami terima dan akses kursus Anda sudah aktif."));
    const access = element("a", "Mulai belajar", "button");
    access.id = "access-link";
    access.href = config.courseAccessUrl;
    actions.append(access);
    parts.push(actions, element("p", "Tautan akses juga sudah kami kirim ke email dan WhatsApp Anda. Masuk dengan alamat email yang Anda pakai saat memesan.", "muted"));
  } else {
    parts.push(element("p", order.status === "FAILED"
        ? "Pembayaran Anda tidak berhasil, dan tidak ada dana yang kami terima. Anda bisa mencoba lagi."
        : order.closedReason === "HOLD_LAPSED"
            ? "Pembayaran belum kami terima saat waktu penahanan tempat habis, jadi tempat Anda sudah kami lepas. Anda bisa memesan lagi bila masih ada tempat."
            : "Pembayaran belum kami terima sampai batas waktunya, jadi pesanan ini kami tutup. Anda bisa memesan lagi."));
    const retry = element("a", "Coba lagi", "button");
    retry.id = "try-again";
    retry.href = "/checkout?paket=" + encodeURIComponent(order.packageId);
    actions.append(retry);
  }
  if (!parts.includes(actions)) {
    parts.push(actions);
  }
  box.replaceChildren(...parts);
  if (FINAL_STATUSES.includes(order.status)) {
    // this checkout attempt is over: "coba lagi" is a new attempt with a new Idempotency-Key
    endAttempt();
  }
}

function problem(answer) {
  if (answer.status === 404) {
    box.replaceChildren(element("p", "Pesanan ini tidak kami temukan. Periksa tautan dari email Anda."));
  } else {
    say("Status pesanan belum bisa diperiksa. Kami mencoba lagi sebentar lagi.", "bad");
  }
}

/** Follows the order until its status is final; again from the first short wait whenever asked (after Snap). */
function follow() {
  polling?.abort();
  const controller = new AbortController();
  polling = controller;
  orderStatus(orderId, { onUpdate: render, signal: controller.signal }).then((last) => {
    if (!last.ok) {
      problem(last);
      if (last.status !== 404) {
        setTimeout(follow, 10_000);
      }
    } else if (!FINAL_STATUSES.includes(last.data.status)) {
      follow();
    }
  }, () => {
    if (!controller.signal.aborted) {
      say("Koneksi terputus. Kami mencoba lagi sebentar lagi…", "bad");
      setTimeout(follow, 5_000);
    }
  });
}

const afterSnap = {
  onSuccess: () => { say("Memeriksa pembayaran Anda…", "wait"); follow(); },
  onPending: () => { say("Menunggu pembayaran Anda…", "wait"); follow(); },
  onError: () => { quiet(); follow(); },
  onClose: () => {
    say("Halaman pembayaran ditutup. Pesanan Anda tetap menunggu: tekan Bayar sekarang untuk melanjutkan.", "wait");
    follow();
  },
};

async function payAgainClicked(button) {
  button.disabled = true;
  quiet();
  let answer;
  try {
    answer = await payAgain(orderId);
  } catch {
    say("Koneksi terputus. Tekan Bayar sekarang lagi.", "bad");
    button.disabled = false;
    return;
  }
  if (answer.ok) {
    render(answer.data);
    if (answer.data.payment) {
      await openPayment(answer.data.payment, afterSnap);
    } else if (!FINAL_STATUSES.includes(answer.data.status)) {
      say("Halaman pembayaran sedang disiapkan. Coba lagi dalam " + (answer.retryAfterSeconds ?? answer.data.paymentRetryAfterSeconds ?? 5) + " detik.", "wait");
    }
    return;
  }
  const slug = problemSlug(answer.problem);
  if (slug === "order-busy" || answer.status === 503 || answer.status === 429) {
    say("Sedang diproses. Coba lagi dalam " + (answer.retryAfterSeconds ?? 5) + " detik.", "wait");
  } else if (slug === "payment-closed" || slug === "order-closed") {
    say("Pembayaran untuk pesanan ini sudah selesai diproses. Kami memeriksa hasilnya…", "wait");
  } else {
    say("Pesanan ini tidak bisa dibayar lagi. Silakan pesan lagi.", "bad");
  }
  button.disabled = false;
  follow();
}

if (UUID.test(orderId)) {
  if (query.get("snap") === "closed") {
    afterSnap.onClose();
  } else {
    follow();
  }
} else {
  box.replaceChildren(element("p", "Pesanan ini tidak kami temukan. Periksa tautan dari email Anda."));
}
