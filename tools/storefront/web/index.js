// The package list: each package with its price and, for a limited one, the places left; a sold-out package says
// so and offers nothing to buy.
import { listPackages } from "./api.js";
import { byId, element, rupiah } from "./format.js";

const list = byId("packages");

function card(offer) {
  const made = element("article", null, "card");
  made.dataset.package = offer.id;
  made.append(element("h2", offer.name), element("p", rupiah(offer.price), "price"));
  const limited = typeof offer.remainingQuota === "number";
  if (limited && offer.remainingQuota <= 0) {
    made.append(element("p", "Habis terjual", "places sold-out"));
    return made;
  }
  made.append(element("p", limited ? "Sisa " + offer.remainingQuota + " tempat" : "Tempat tidak terbatas", "places"));
  const buy = element("a", "Beli sekarang", "button buy");
  buy.href = "/checkout?paket=" + encodeURIComponent(offer.id);
  made.append(buy);
  return made;
}

async function show() {
  let answer;
  try {
    answer = await listPackages();
  } catch {
    answer = null;
  }
  list.removeAttribute("aria-busy");
  if (!answer || !answer.ok) {
    const notice = byId("notice");
    notice.textContent = "Daftar paket belum bisa dimuat. Muat ulang halaman ini sebentar lagi.";
    notice.className = "notice bad";
    notice.hidden = false;
    list.replaceChildren();
    return;
  }
  list.replaceChildren(...answer.data.map(card));
  if (answer.data.length === 0) {
    list.append(element("p", "Belum ada paket yang dijual.", "muted"));
  }
}

show();
