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
})();
