/*
 * "Report this answer": embed in a company tool next to an AI system's answers.
 *
 *   <script src="https://APPRENTICE/static/mentoring/report-this-answer.js"
 *           data-system="care-drafter" defer></script>
 *
 * Adds a "Report this answer" button. Select the bad answer (or part of it) and press it: the
 * product's report form opens in a new tab with the selection, the page's address and the
 * system prefilled; the employee signs in if needed and sends it there (session + CSRF, so no
 * cross-site request is ever made from the host page). Optional attributes: data-answer (a CSS
 * selector of the element holding the answer, used when nothing is selected), data-label.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src, document.baseURI).origin;
  var system = script.getAttribute("data-system") || "";
  var answerSelector = script.getAttribute("data-answer");
  var lastSelection = "";
  var MAX = 6000; // keep the address within what every browser and proxy accepts

  document.addEventListener("selectionchange", function () {
    var text = String(window.getSelection ? window.getSelection() : "").trim();
    if (text) lastSelection = text;
  });

  function answerText() {
    var text = String(window.getSelection ? window.getSelection() : "").trim() || lastSelection;
    if (!text && answerSelector) {
      var node = document.querySelector(answerSelector);
      text = node ? node.textContent.trim() : "";
    }
    return text.slice(0, MAX);
  }

  function open() {
    var params = new URLSearchParams({
      via: "snippet",
      system: system,
      answer: answerText(),
      where: String(window.location.href).slice(0, 500),
    });
    window.open(origin + "/mentoring/report/?" + params.toString(), "_blank", "noopener");
  }

  var button = document.createElement("button");
  button.type = "button";
  button.className = "apprentice-report-answer";
  button.textContent = script.getAttribute("data-label") || "Report this answer";
  button.setAttribute("data-apprentice", "report-answer");
  // mousedown would clear the selection in some browsers before the click reads it.
  button.addEventListener("mousedown", function (event) { event.preventDefault(); });
  button.addEventListener("click", open);
  button.style.cssText =
    "position:fixed;right:1rem;bottom:1rem;z-index:2147483647;padding:.5rem .9rem;" +
    "font:600 14px system-ui,sans-serif;color:#fff;background:#1f4e79;border:0;border-radius:6px;" +
    "cursor:pointer;box-shadow:0 2px 6px rgba(0,0,0,.3)";
  (document.body || document.documentElement).appendChild(button);
})();
