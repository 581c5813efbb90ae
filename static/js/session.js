// Warns on edit pages a few minutes before the session expires (the age comes from data-session-age, in seconds).
(function () {
  "use strict";
  var WARN_BEFORE_SECONDS = 5 * 60;
  var warning = document.querySelector("[data-session-age]");
  if (!warning) {
    return;
  }
  var age = parseInt(warning.getAttribute("data-session-age"), 10);
  if (!age) {
    return;
  }
  window.setTimeout(function () {
    warning.hidden = false;
  }, Math.max(age - WARN_BEFORE_SECONDS, 0) * 1000);
})();
