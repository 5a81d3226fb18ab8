// Studio editor helpers. markdownx drives the live preview; this keeps its requests in order
// and reports upload errors.
"use strict";

// markdownx's preview is debounced (it asks the server once typing pauses for
// MARKDOWNX_SERVER_CALL_LATENCY, at least 500 ms) and asynchronous, so typing never waits for
// it. But it does not wait for an answer before asking again: after a pause longer than a slow
// answer, two requests are in flight, and whichever returns last fills the pane, even an older
// text. So preview requests go through this gate: at most one in flight per editor, and while
// one is, only the newest text waits (older ones are dropped unsent). Answers then arrive in the
// order the texts were typed, and the pane ends on the latest text. It wraps XMLHttpRequest
// because every preview path in markdownx (typing, keyboard shortcuts, inserting an uploaded
// image, the first render) builds its own request inside a closure we cannot reach.
(function () {
  var previewUrls = {};
  document.querySelectorAll("[data-markdownx-urls-path]").forEach(function (editor) {
    previewUrls[editor.getAttribute("data-markdownx-urls-path")] = true;
  });
  var gates = {};  // preview URL -> {busy: bool, waiting: [xhr, body] or null}
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;

  XMLHttpRequest.prototype.open = function (method, url) {
    this._previewUrl = method === "POST" && previewUrls[url] ? url : null;
    return open.apply(this, arguments);
  };

  function release(url) {
    var gate = gates[url];
    var next = gate.waiting;
    gate.waiting = null;
    gate.busy = false;
    if (next) { next[0].send(next[1]); }
  }

  XMLHttpRequest.prototype.send = function (body) {
    var url = this._previewUrl;
    if (!url) { return send.apply(this, arguments); }
    var gate = gates[url] || (gates[url] = {busy: false, waiting: null});
    if (gate.busy) {
      gate.waiting = [this, body];  // replaces, unsent, any older text still waiting
      return undefined;
    }
    gate.busy = true;
    // A request that never ends would hold the gate for good: give it up after 15 s.
    this.timeout = 15000;
    this.addEventListener("loadend", function () { release(url); });
    return send.call(this, body);
  };
})();

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".markdownx").forEach(function (box) {
    var editor = box.querySelector("textarea");
    var field = box.closest(".field");
    var notice = field ? field.querySelector(".upload-error") : null;

    function show(message) {
      if (!notice) { return; }
      notice.textContent = message;
      notice.hidden = !message;
    }

    box.addEventListener("markdownx.fileUploadEnd", function () { show(""); });
    box.addEventListener("markdownx.fileUploadError", function (event) {
      var response = event.detail && event.detail[0];
      var messages = response && response.image ? response.image : ["The upload failed."];
      show("Image not uploaded: " + messages.join(" "));
      // markdownx types a placeholder into the text on failure; take it out again.
      window.setTimeout(function () {
        var placeholder = "Invalid response";
        var at = editor.value.lastIndexOf(placeholder);
        if (at !== -1) {
          editor.value = editor.value.slice(0, at) + editor.value.slice(at + placeholder.length);
        }
      }, 0);
    });
  });
});
