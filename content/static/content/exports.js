// Copy buttons of the export screens: each copies its part's text without reloading the page.
// The Clipboard API needs a secure context (HTTPS or localhost; an onion address over plain
// HTTP is not one), so the fallback selects the text and uses execCommand("copy").
(function () {
  "use strict";

  function say(button, text) {
    var status = button.parentNode.querySelector(".copy-status");
    if (status) { status.textContent = text; }
  }

  function fallbackCopy(area) {
    area.focus();
    area.select();
    area.setSelectionRange(0, area.value.length);
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
    return copied;
  }

  function copy(button) {
    var area = document.getElementById(button.getAttribute("data-copy-target"));
    if (!area) { return; }
    var text = area.value;
    var done = function () { say(button, "Copied."); };
    var failed = function () {
      if (fallbackCopy(area)) { done(); } else { say(button, "Select the text and copy it (Ctrl+C)."); }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, failed);
    } else {
      failed();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (button) {
      event.preventDefault();
      copy(button);
    }
  });
})();
