// Challenge page enhancements. Everything works without this file; it adds:
// 1. drafts saved to the server as the employee types (so a closed tab loses nothing), with a
//    copy in this browser until the server has it (so an expired session loses nothing);
// 2. flagging a precise passage by selecting text in the AI's answer;
// 3. a submit button that cannot be clicked twice.
(function () {
  "use strict";

  var DEBOUNCE_MS = 600;

  function formData(form) {
    var data = {};
    new FormData(form).forEach(function (value, key) {
      if (key === "csrfmiddlewaretoken") return;
      if (Object.prototype.hasOwnProperty.call(data, key)) {
        data[key] = [].concat(data[key], value);
      } else {
        data[key] = value;
      }
    });
    return data;
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setupDraft(form) {
    var url = form.dataset.draftUrl;
    var status = form.querySelector("[data-draft-status]");
    var timer = null;
    var dirty = false;
    // Per person and step, so a colleague signing in on this browser never sees it.
    var key = "apprentice:draft:" + (form.dataset.draftOwner || "") + ":" + url;

    function say(text) {
      if (status) status.textContent = text;
    }

    function keepLocal() {
      try { localStorage.setItem(key, JSON.stringify(formData(form))); } catch (e) { /* full or off */ }
    }

    function dropLocal() {
      try { localStorage.removeItem(key); } catch (e) { /* off */ }
    }

    // The tokens of the records the server already holds for this step (context notes, test
    // cases): a local copy carrying one of them was submitted and saved, so it is dropped.
    var recorded = (form.dataset.draftRecorded || "").split(/\s+/).filter(Boolean);

    function restoreLocal() {
      var data;
      try { data = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { data = null; }
      if (!data) return;
      if (data.client_token && recorded.indexOf(String(data.client_token)) >= 0) {
        dropLocal();
        return;
      }
      Object.keys(data).forEach(function (name) {
        var field = form.elements.namedItem(name);
        if (!field) return;
        var values = [].concat(data[name]).map(String);
        var fields = field.length !== undefined && !field.options ? Array.prototype.slice.call(field) : [field];
        fields.forEach(function (el) {
          if (el.type === "checkbox" || el.type === "radio") {
            el.checked = values.indexOf(el.value) >= 0;
          } else if (el.type !== "hidden" && el.type !== "submit") {
            el.value = values[0];
          }
        });
      });
      dirty = true;
      say("Restored what you typed earlier; it had not reached the server yet. Saving it now…");
      timer = setTimeout(save, DEBOUNCE_MS);
    }

    function save(keepalive) {
      if (!dirty) return;
      dirty = false;
      clearTimeout(timer);
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        keepalive: !!keepalive,
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(form) },
        body: JSON.stringify({ data: formData(form) }),
      })
        .then(function (response) {
          return response.json().then(function (body) {
            if (response.ok) {
              if (!dirty) dropLocal();
              var at = new Date(body.saved_at);
              say("Draft saved at " + at.toLocaleTimeString() + ".");
              form.dataset.draftSaved = body.saved_at;
            } else {
              dirty = true;
              say(body.error || "Your draft could not be saved; keep this tab open.");
            }
          });
        })
        .catch(function () {
          dirty = true;
          say("Offline: your draft will be saved when the connection returns.");
        });
    }

    function changed() {
      dirty = true;
      keepLocal();
      say("Saving draft…");
      clearTimeout(timer);
      timer = setTimeout(save, DEBOUNCE_MS);
    }

    restoreLocal();
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("draft:changed", changed);
    window.addEventListener("pagehide", function () { save(true); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") save(true);
    });
    form.addEventListener("submit", function (event) {
      clearTimeout(timer);
      dirty = false;
      if (form.dataset.submitting) {
        event.preventDefault();
        return;
      }
      form.dataset.submitting = "1";
      var button = form.querySelector("button[type=submit]");
      if (button) button.setAttribute("aria-disabled", "true");
    });
  }

  // Offsets are counted in Unicode code points, as the server counts them.
  function codePoints(text) {
    return Array.from(text).length;
  }

  function setupSelection() {
    var output = document.getElementById("ai-output");
    var button = document.getElementById("flag-selection");
    var list = document.getElementById("span-flags");
    var template = document.getElementById("span-row-template");
    var form = document.getElementById("observe-form");
    if (!output || !button || !list || !template || !form) return;
    var textNode = output.firstChild;
    var pending = null;

    function currentSelection() {
      var selection = window.getSelection();
      if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
      var range = selection.getRangeAt(0);
      if (range.startContainer !== textNode || range.endContainer !== textNode) return null;
      var text = textNode.textContent;
      var start = codePoints(text.slice(0, range.startOffset));
      var end = codePoints(text.slice(0, range.endOffset));
      if (end <= start) return null;
      return { start: start, end: end, text: text.slice(range.startOffset, range.endOffset) };
    }

    function refresh() {
      pending = currentSelection();
      button.hidden = !pending;
    }

    document.addEventListener("selectionchange", refresh);
    button.addEventListener("click", function () {
      if (!pending) return;
      var key = "j" + Date.now().toString(36);
      var html = template.innerHTML.split("__key__").join(key);
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      row.querySelector("[data-span-start]").value = pending.start;
      row.querySelector("[data-span-end]").value = pending.end;
      row.querySelector("[data-span-text]").textContent = pending.text;
      list.appendChild(row);
      window.getSelection().removeAllRanges();
      button.hidden = true;
      row.querySelector("select").focus();
      form.dispatchEvent(new Event("draft:changed"));
    });
    list.addEventListener("click", function (event) {
      var remove = event.target.closest("[data-span-remove]");
      if (!remove) return;
      remove.closest("[data-span-row]").remove();
      form.dispatchEvent(new Event("draft:changed"));
    });
  }

  document.querySelectorAll("form[data-draft-url]").forEach(setupDraft);
  setupSelection();
})();
