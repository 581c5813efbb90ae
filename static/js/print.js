// Shows the "Afdrukken" buttons (hidden without JavaScript, where they could not work) and prints the page.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
