// The editor's preview of the blocks readers see before the text: a drug alert's facts and the
// interaction warnings of what the form names (content.views.facts_preview). The form is posted
// (with its CSRF token) once typing in a fact or the substances pauses; at most one request is in
// flight, and a change made meanwhile asks again when it ends, so the panel ends on the newest
// values. Without this script the page works as before: the blocks show once saved.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  var panel = document.querySelector("[data-facts-preview-url]");
  if (!panel) { return; }
  var form = panel.closest("form");
  var body = panel.querySelector(".facts-preview-body");
  var url = panel.getAttribute("data-facts-preview-url");
  var language = panel.getAttribute("data-language") || "";
  var busy = false;
  var again = false;
  var timer = null;
  var PAUSE = 500;  // ms, as the text's preview waits

  // Only what the blocks are made of: the kind, language, substances and the alert's facts.
  function counts(name) {
    return name === "kind" || name === "language" || name === "substances" ||
      name.indexOf("alert-") === 0 || name.indexOf("found-") === 0;
  }

  function ask() {
    if (busy) { again = true; return; }
    busy = true;
    var data = new FormData(form);
    ["title", "summary", "body", "change_note"].forEach(function (name) { data.delete(name); });
    if (language) { data.set("preview_language", language); }
    var request = new XMLHttpRequest();
    request.open("POST", url);
    request.timeout = 15000;  // a request that never ends would stop the preview for good
    request.addEventListener("load", function () {
      if (request.status === 200 || request.status === 400) {
        body.innerHTML = request.responseText;  // safe HTML, sanitized by the server
        panel.hidden = false;
      }
    });
    request.addEventListener("loadend", function () {
      busy = false;
      if (again) { again = false; ask(); }
    });
    request.send(data);
  }

  function later(event) {
    var name = event.target && event.target.name;
    if (!name || !counts(name)) { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, PAUSE);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
  ask();
});
