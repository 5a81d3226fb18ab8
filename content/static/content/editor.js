// Studio editor helpers. markdownx drives the live preview; this only reports upload errors.
"use strict";

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
