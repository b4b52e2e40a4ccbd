// loa messages: live channel previews in the message editor. Optional: without this file the
// editor's "Preview" button re-renders the form with the same previews on the server.
(function () {
  "use strict";
  var form = document.getElementById("message-form");
  var url = form && form.getAttribute("data-preview-url");
  if (!form || !url || !window.fetch || !window.URLSearchParams || !window.FormData) return;

  var timer = null;
  var pending = null;

  // The previews come from the server (same templates, same counting as the saved message), as an
  // HTML fragment that replaces #message-previews.
  function refresh() {
    timer = null;
    if (pending) pending.abort();
    pending = window.AbortController ? new AbortController() : null;
    var body = new URLSearchParams(new FormData(form));
    body.set("action", "preview");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString(),
      signal: pending ? pending.signal : undefined
    }).then(function (res) {
      if (!res.ok) throw new Error("preview " + res.status);
      return res.text();
    }).then(function (html) {
      var current = document.getElementById("message-previews");
      if (!current) return;
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var fresh = holder.querySelector("#message-previews");
      if (fresh) current.replaceWith(fresh);
    }).catch(function () {
      // Offline or signed out: the Preview button still works.
    });
  }

  function schedule() {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 500);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
})();
