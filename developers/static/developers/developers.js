// Copy buttons for secrets and samples on /developers and /ecosystem. A button names the
// element to copy in data-copy-target; it stays hidden where this script does not run.
// The Clipboard API needs a secure context (https or localhost): elsewhere the text is
// selected and copied with execCommand, and if even that fails the user is asked to copy it.
(function () {
  "use strict";

  function textOf(element) {
    return "value" in element && element.tagName === "INPUT" ? element.value : element.textContent;
  }

  function selectContents(element) {
    if (element.tagName === "INPUT") {
      element.focus();
      element.select();
      return;
    }
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copyBySelection(element) {
    selectContents(element);
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function statusFor(button) {
    var status = button.parentElement.querySelector(".dev-copy-status");
    if (!status) {
      status = button.closest(".dev-secret, .dev-sample").querySelector(".dev-copy-status");
    }
    return status;
  }

  function announce(button, message) {
    var status = statusFor(button);
    if (!status) return;
    status.textContent = "";
    // A fresh text node each time, so screen readers repeat "Copied" on a second press.
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function copy(button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target) return;
    var text = textOf(target);
    var copied = function () { announce(button, "Copied to the clipboard."); };
    var fallback = function () {
      if (copyBySelection(target)) {
        copied();
      } else {
        announce(button, "Copying is not available here: the text is selected, press Ctrl+C (⌘C on a Mac).");
      }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(copied, fallback);
    } else {
      fallback();
    }
  }

  function init() {
    var buttons = document.querySelectorAll("[data-copy-target]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
