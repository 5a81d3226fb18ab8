// Review discussion: "Quote the text selected on this page" fills the comment's quote field
// with the passage selected in the text above. Without JavaScript the button stays hidden and
// the quote is typed or pasted; the server checks it either way.
(function () {
  "use strict";
  var form = document.querySelector(".comment-form");
  if (!form) return;
  var button = form.querySelector(".quote-selection");
  var field = form.querySelector("textarea[name=quote]");
  if (!button || !field) return;
  var last = "";
  // Clicking the button may clear the selection first, so the last one is remembered.
  document.addEventListener("selectionchange", function () {
    var selection = document.getSelection();
    var text = selection ? selection.toString().trim() : "";
    if (text && !form.contains(selection.anchorNode)) last = text;
  });
  button.hidden = false;
  button.addEventListener("click", function () {
    if (!last) return;
    field.value = last.replace(/\s+/g, " ").slice(0, 500);
    form.querySelector("textarea[name=body]").focus();
  });
})();
