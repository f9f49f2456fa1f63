// snap.js of the Lunas Midtrans simulator: what Midtrans's https://app.sandbox.midtrans.com/snap/snap.js offers a
// shop's page, for the simulator's payment pages. Loaded with the shop's client key,
//   <script src="http://localhost:8090/snap/snap.js" data-client-key="SB-Mid-client-…"></script>
// it defines window.snap.pay(token, options): the Snap payment page of that token in a popup over the shop's page.
// options.onSuccess(result), onPending(result) and onError(result) are called with Midtrans's result (order_id,
// status_code, transaction_status, …) when the payment is decided on the page, and onClose() when the customer
// closes the popup without deciding. window.snap.hide() closes it.
(function () {
  "use strict";
  var script = document.currentScript;
  var clientKey = script ? script.getAttribute("data-client-key") : null;
  var origin = script ? new URL(script.src).origin : "";
  var open = null;

  function style(element, rules) {
    Object.keys(rules).forEach(function (name) { element.style[name] = rules[name]; });
  }

  function close() {
    if (!open) {
      return null;
    }
    var closing = open;
    open = null;
    window.removeEventListener("message", closing.listener);
    closing.overlay.remove();
    return closing.options;
  }

  function call(callback, argument) {
    if (typeof callback === "function") {
      callback(argument);
    }
  }

  window.snap = {
    pay: function (token, options) {
      if (!clientKey) {
        throw new Error("snap.js: load it with your client key (data-client-key)");
      }
      if (typeof token !== "string" || token === "") {
        throw new Error("snap.js: pay needs the Snap token");
      }
      if (open) {
        throw new Error("snap.js: a payment popup is already open");
      }
      options = options || {};
      var overlay = document.createElement("div");
      overlay.id = "snap-midtrans-overlay";
      style(overlay, { position: "fixed", inset: "0", background: "rgba(10, 20, 30, 0.55)", zIndex: "2147483647",
        display: "flex", alignItems: "center", justifyContent: "center" });
      var panel = document.createElement("div");
      style(panel, { position: "relative", width: "min(460px, 100%)", height: "min(680px, 100%)", background: "#fff",
        borderRadius: "10px", overflow: "hidden", boxShadow: "0 10px 40px rgba(0, 0, 0, 0.35)" });
      var frame = document.createElement("iframe");
      frame.id = "snap-midtrans";
      frame.title = "Midtrans Snap";
      frame.src = origin + "/snap/v2/vtweb/" + encodeURIComponent(token) + "?client_key=" + encodeURIComponent(clientKey);
      style(frame, { width: "100%", height: "100%", border: "0" });
      var closer = document.createElement("button");
      closer.id = "snap-close";
      closer.type = "button";
      closer.textContent = "\u00d7";
      closer.setAttribute("aria-label", "Close");
      style(closer, { position: "absolute", top: "6px", right: "8px", font: "24px/1 system-ui, sans-serif",
        border: "0", background: "transparent", color: "#444", cursor: "pointer", padding: "4px 8px" });
      closer.addEventListener("click", function () {
        call(close() && options.onClose);
      });
      var listener = function (event) {
        var data = event.data;
        if (event.origin !== origin || event.source !== frame.contentWindow || !data || data.source !== "midtrans-simulator") {
          return;
        }
        var decided = close();
        var result = data.result;
        var status = result.transaction_status;
        if (status === "settlement" || status === "capture") {
          call(decided.onSuccess, result);
        } else if (status === "pending") {
          call(decided.onPending, result);
        } else {
          call(decided.onError, result);
        }
      };
      window.addEventListener("message", listener);
      panel.append(frame, closer);
      overlay.append(panel);
      document.body.append(overlay);
      open = { overlay: overlay, listener: listener, options: options };
    },
    hide: function () {
      close();
    }
  };
})();
