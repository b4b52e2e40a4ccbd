// loa: small optional enhancements. Every page works without this file (the CSP forbids inline
// script, so pages opt in with data- attributes only).
(function () {
  "use strict";
  // <button data-confirm="Really cancel?">: ask before a destructive form is sent.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var text = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
    if (text && !window.confirm(text)) event.preventDefault();
  });
  // A form sent back with errors: its summary (.error-summary, role="alert") takes the focus, so
  // that keyboard and screen-reader users start from the list of what to correct.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
  // <select data-autosubmit>: filters apply as soon as they change (the form keeps its button for
  // keyboard and no-JS users).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) el.form.submit();
  });

  // <form data-draft data-draft-restored="notice">: what was typed survives a session that ended
  // while the form was open. On submit the values are kept in this tab (sessionStorage) as "sent",
  // with who typed them. The server answers a form without a session with the login page (and,
  // once signed in, the page the form was sent from): the login page marks the drafts
  // "interrupted", and the first page after it that has the same form gets them back, with the
  // notice, when the same person signed in. Every other page drops them: the form was saved, or
  // refused with its values shown again by the server. Passwords, files and hidden fields are never
  // kept, but for the version a form edits: sent again, a draft of an older version meets the
  // server's "someone saved meanwhile" check instead of overwriting.
  var store = null;
  try {
    store = window.sessionStorage;
  } catch (e) {
    store = null;
  }
  if (!store || !window.JSON) return;
  var prefix = "loa-draft:";
  var maxAge = 12 * 3600 * 1000;
  var skipped = { hidden: 1, password: 1, file: 1, submit: 1, button: 1, reset: 1, image: 1 };
  var keptHidden = { version: 1 };
  var kept = function (el) {
    return !!el.name && !el.disabled && (!skipped[el.type] || (el.type === "hidden" && keptHidden[el.name] === 1));
  };
  var user = document.body.getAttribute("data-user") || "";
  var keyOf = function (form) {
    return prefix + location.pathname + location.search + "|" + (form.getAttribute("action") || "");
  };
  var fieldsOf = function (form) {
    var out = [];
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i];
      if (!kept(el)) continue;
      if (el.type === "checkbox" || el.type === "radio") {
        out.push({ n: el.name, v: el.value, c: el.checked });
      } else if (el.type === "select-multiple") {
        for (var k = 0; k < el.options.length; k++)
          out.push({ n: el.name, v: el.options[k].value, c: el.options[k].selected, o: 1 });
      } else {
        out.push({ n: el.name, v: el.value });
      }
    }
    return out;
  };
  var restore = function (form, fields) {
    var next = {};  // per name, the next text field of that name to fill
    fields.forEach(function (f) {
      var same = [];
      for (var i = 0; i < form.elements.length; i++) {
        var el = form.elements[i];
        if (el.name === f.n && kept(el)) same.push(el);
      }
      if (f.o) {
        same.forEach(function (sel) {
          for (var k = 0; k < sel.options.length; k++) if (sel.options[k].value === f.v) sel.options[k].selected = f.c;
        });
      } else if (typeof f.c === "boolean") {
        same.forEach(function (el) {
          if (el.value === f.v) el.checked = f.c;
        });
      } else {
        var at = next[f.n] || 0;
        if (same[at]) same[at].value = f.v;
        next[f.n] = at + 1;
      }
    });
    form.dispatchEvent(new Event("input", { bubbles: true }));  // previews (messages.js) follow
  };

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.hasAttribute || !form.hasAttribute("data-draft") || !user) return;
    // A form that came back with its errors sits at its POST's address, which a GET cannot fetch:
    // the page it belongs to (data-page) becomes the address before it is sent, so that the server
    // sends a signed-out user back there, and the draft is kept under that page.
    var page = document.body.getAttribute("data-page") || "";
    if (page.charAt(0) === "/" && page.charAt(1) !== "/" && page !== location.pathname + location.search &&
        window.history && history.replaceState) {
      try {
        history.replaceState(null, "", page);
      } catch (e) {
        /* the address stays; the draft is kept under it */
      }
    }
    try {
      store.setItem(keyOf(form), JSON.stringify({ state: "sent", at: Date.now(), user: user, fields: fieldsOf(form) }));
    } catch (e) {
      /* storage full or refused: the form is sent all the same */
    }
  });

  var keys = [];
  for (var i = 0; i < store.length; i++) if (store.key(i).indexOf(prefix) === 0) keys.push(store.key(i));
  var onLogin = !!document.getElementById("login-form");
  keys.forEach(function (key) {
    var draft = null;
    try {
      draft = JSON.parse(store.getItem(key));
    } catch (e) {
      draft = null;
    }
    if (onLogin) {
      if (draft && draft.state === "sent") {
        draft.state = "interrupted";
        store.setItem(key, JSON.stringify(draft));
      }
      return;
    }
    store.removeItem(key);
    if (!draft || draft.state !== "interrupted" || !(Date.now() - draft.at < maxAge)) return;
    if (!user || draft.user !== user) return;  // someone else signed in: never show them this text
    var forms = document.querySelectorAll("form[data-draft]");
    for (var j = 0; j < forms.length; j++) {
      if (keyOf(forms[j]) !== key) continue;
      restore(forms[j], draft.fields || []);
      var text = forms[j].getAttribute("data-draft-restored");
      if (text) {
        var notice = document.createElement("p");
        notice.className = "notice";
        notice.id = "draft-restored";
        notice.setAttribute("role", "status");
        notice.textContent = text;
        forms[j].parentNode.insertBefore(notice, forms[j]);
      }
      break;
    }
  });
})();
