// Autosave: a draft of the post form's text (title, summary, body, change note, a drug alert's
// facts) is kept in this browser's localStorage while the author types, so a closed tab or a
// crash loses nothing.
// Nothing leaves the browser; only the post forms (data-autosave) store anything.
//
// The draft is keyed by the form ("post-<id>" or "new") and remembers the revision it was
// written on (base_revision). Opening the form again restores a draft that differs from what
// the server gave, with a notice and a Discard button. Restoring also restores that base, so a
// draft written before someone else saved is refused as an edit conflict and merged, never
// saved over the newer revision.
//
// Clearing after a successful save: submitting marks the draft "submitted". A refused save
// answers with this form again (errors, a conflict), which unmarks it; a successful one
// redirects elsewhere. So a submitted draft met on a fresh form whose base moved on (or on a new
// post's form) was saved, and is dropped. On a page answering a save the server's form wins
// (data-autosave-server-wins): it holds what was typed, or a conflict's merge.
"use strict";

(function () {
  var FIELDS = ["title", "summary", "body", "change_note"];
  // A drug alert's "Alert facts" fieldset: its facts and substance rows (not the row count).
  var FACT_FIELD = /^(alert-|found-\d+-)/;
  var PREFIX = "harmreduction.autosave.";
  var DELAY = 500;  // ms after the last keystroke

  function localStore() {
    try {
      var store = window.localStorage;
      store.getItem(PREFIX);
      return store;
    } catch (error) {
      return null;  // storage disabled or blocked: no autosave
    }
  }

  function normal(text) {
    return String(text || "").replace(/\r\n?/g, "\n");
  }

  function when(savedAt) {
    var date = new Date(savedAt);
    var today = date.toDateString() === new Date().toDateString();
    return today
      ? date.toLocaleTimeString([], {hour: "2-digit", minute: "2-digit"})
      : date.toLocaleString([], {dateStyle: "medium", timeStyle: "short"});
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.post-form[data-autosave]");
    var store = localStore();
    if (!form || !store) { return; }
    var key = PREFIX + form.getAttribute("data-autosave");
    var base = form.elements.namedItem("base_revision");
    var fields = Array.prototype.filter.call(form.elements, function (field) {
      var named = FIELDS.indexOf(field.name) >= 0 || FACT_FIELD.test(field.name);
      return named && field.type !== "hidden" && "value" in field;
    });
    var notice = document.querySelector(".autosave-notice");
    var served = values();
    var servedBase = base ? base.value : "";
    var timer = null;
    var applying = false;

    function values() {
      var out = {};
      fields.forEach(function (field) { out[field.name] = field.value; });
      return out;
    }

    function read() {
      try {
        var draft = JSON.parse(store.getItem(key) || "null");
        return draft && typeof draft.fields === "object" ? draft : null;
      } catch (error) {
        return null;
      }
    }

    function write(submitted) {
      window.clearTimeout(timer);
      timer = null;
      var draft = {
        fields: values(),
        base: base ? base.value : "",
        savedAt: Date.now(),
        submitted: Boolean(submitted),
      };
      try { store.setItem(key, JSON.stringify(draft)); } catch (error) { /* full: skip */ }
    }

    function differs(draft) {
      return fields.some(function (field) {
        var kept = draft.fields[field.name];
        return typeof kept === "string" && normal(kept) !== normal(field.value);
      });
    }

    function apply(texts, revision) {
      applying = true;
      fields.forEach(function (field) {
        if (typeof texts[field.name] === "string" && field.value !== texts[field.name]) {
          field.value = texts[field.name];
          // markdownx renders the preview again on input.
          field.dispatchEvent(new Event("input", {bubbles: true}));
        }
      });
      if (base && revision) { base.value = revision; }
      applying = false;
    }

    var draft = read();
    if (draft && form.hasAttribute("data-autosave-server-wins")) {
      if (draft.submitted) {  // this page answers that save: it was refused
        draft.submitted = false;
        try { store.setItem(key, JSON.stringify(draft)); } catch (error) { /* full: skip */ }
      }
    } else if (draft) {
      // A new post's form has no base: a submitted draft there made its post.
      var saved = draft.submitted && (!servedBase || draft.base !== servedBase);
      if (saved || !differs(draft)) {
        store.removeItem(key);
      } else {
        apply(draft.fields, draft.base);
        if (notice) {
          var time = notice.querySelector("time");
          time.dateTime = new Date(draft.savedAt).toISOString();
          time.textContent = when(draft.savedAt);
          notice.hidden = false;
        }
      }
    }

    if (notice) {
      notice.querySelector(".autosave-discard").addEventListener("click", function () {
        window.clearTimeout(timer);
        timer = null;
        apply(served, servedBase);
        store.removeItem(key);
        notice.hidden = true;
      });
    }

    form.addEventListener("input", function () {
      if (applying) { return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { write(false); }, DELAY);
    });
    form.addEventListener("submit", function () { write(true); });
    // Closing the tab before the pause: keep what was typed.
    window.addEventListener("pagehide", function () { if (timer) { write(false); } });
  });
})();
