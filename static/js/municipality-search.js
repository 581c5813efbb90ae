// Autocomplete for the gemeente search fields: fills each field's <datalist> from the suggestions endpoint.
// Progressive enhancement: without this script the form still submits to the search page.
(function () {
  "use strict";

  function enhance(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var controller = null;

    function fill(suggestions) {
      list.replaceChildren.apply(list, suggestions.map(function (suggestion) {
        var option = document.createElement("option");
        option.value = suggestion.name;
        option.label = suggestion.region;
        return option;
      }));
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query.length < 2) {
        fill([]);
        return;
      }
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      var url = input.dataset.suggestionsUrl + "?q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", signal: controller.signal })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) { fill(data.suggestions); })
        .catch(function () { /* aborted or offline: keep the form as it is */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, 150);
    });
  }

  document.querySelectorAll("input[data-suggestions-url]").forEach(enhance);
})();
