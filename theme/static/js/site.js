/* Diplomatic Wire: one-click copy of feed addresses.
   Progressive enhancement: without JavaScript the address is plain, selectable
   text and the copy buttons stay hidden (CSS: html:not(.js) .copy). This file is
   loaded with defer, so it runs before the page is shown as complete. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function announce(message) {
    var status = document.getElementById("copy-status");
    if (!status) return;
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 60);
  }

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function legacyCopy(element) {
    selectText(element);
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function finish(button, source, ok) {
    button.textContent = ok ? "Copied" : "Select";
    button.classList.toggle("done", ok);
    if (ok) {
      announce("Copied " + source.textContent.trim());
    } else {
      selectText(source);
      announce("Could not copy. The address is selected: press Control C or Command C.");
    }
    window.clearTimeout(button.copyTimer);
    button.copyTimer = window.setTimeout(function () {
      button.textContent = "Copy";
      button.classList.remove("done");
    }, 2500);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-copy]") : null;
    if (!button) return;
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    var text = source.textContent.trim();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { finish(button, source, true); },
        function () { finish(button, source, legacyCopy(source)); }
      );
    } else {
      finish(button, source, legacyCopy(source));
    }
  });
})();
