// A visible "n van max tekens" counter under every textarea with a maxlength (the server checks the same bound).
(function () {
  "use strict";
  var format = new Intl.NumberFormat("nl-NL");
  document.querySelectorAll("textarea[maxlength]").forEach(function (area) {
    var max = parseInt(area.getAttribute("maxlength"), 10);
    var counter = document.createElement("p");
    counter.className = "utrecht-form-field-description nvo-text-counter";
    counter.id = (area.id || area.name) + "-teller";
    counter.setAttribute("aria-live", "polite");
    function update() {
      counter.textContent = format.format(area.value.length) + " van " + format.format(max) + " tekens";
    }
    area.insertAdjacentElement("afterend", counter);
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    area.addEventListener("input", update);
    update();
  });
})();
