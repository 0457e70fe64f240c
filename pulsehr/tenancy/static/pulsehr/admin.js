// The admin header's workspace switch (templates/admin/base_site.html) submits as soon as a
// workspace is chosen. A static file rather than an onchange attribute: the Content-Security-Policy
// allows no inline script.
document.addEventListener("change", function (event) {
  "use strict";
  if (event.target.id === "pulsehr-workspace" && event.target.form) event.target.form.requestSubmit();
});

// Rows of key and value (pulsehr/forms.py KeyValueWidget): "Add a row" copies the last, empty,
// with the next index in its names. Without script the form still has spare rows to fill.
document.addEventListener("click", function (event) {
  "use strict";
  var button = event.target.closest(".pulsehr-add-row");
  if (!button) return;
  var editor = button.closest(".pulsehr-key-value");
  var body = editor.querySelector("tbody");
  var last = body.rows[body.rows.length - 1];
  var row = last.cloneNode(true);
  var index = body.rows.length;
  row.querySelectorAll("input, select").forEach(function (field) {
    field.name = field.name.replace(/-\d+-(key|type|value)$/, "-" + index + "-$1");
    field.setAttribute("aria-label", field.getAttribute("aria-label").replace(/\d+$/, String(index + 1)));
    if (field.tagName === "INPUT") field.value = "";
  });
  body.appendChild(row);
  row.querySelector("input").focus();
});

document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  document.querySelectorAll(".pulsehr-add-row").forEach(function (button) {
    button.hidden = false;
  });
});

// The admin's autocomplete (Select2, e.g. an employee's Manager) names its combobox after the
// selected value only, so with none chosen it has no accessible name: give it its field's label.
function nameAutocompletes() {
  "use strict";
  document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    var container = select.nextElementSibling;
    if (!label || !container) return;
    var name = label.textContent.replace(/:\s*$/, "").trim();
    container.querySelectorAll(".select2-selection, .select2-selection__rendered").forEach(function (part) {
      if (part.getAttribute("aria-label") !== name) part.setAttribute("aria-label", name);
    });
  });
}
// Select2 builds (and rebuilds) its markup when it likes: name it whenever the page changes.
new MutationObserver(nameAutocompletes).observe(document.documentElement, { childList: true, subtree: true });

// A list's cells carry their column's name (data-label), which the phone layout shows before
// each value once the table becomes cards (admin.css).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var table = document.getElementById("result_list");
  if (!table) return;
  var names = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
    return th.textContent.trim();
  });
  table.querySelectorAll("tbody tr").forEach(function (row) {
    Array.prototype.forEach.call(row.cells, function (cell, index) {
      if (names[index]) cell.setAttribute("data-label", names[index]);
    });
  });
});

// On a phone the filters come before the rows (admin.css): fold the ones not in use, so the rows
// are a tap away rather than a screen of choices below.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  if (!window.matchMedia("(max-width: 767px)").matches) return;
  document.querySelectorAll("#changelist-filter details").forEach(function (section) {
    var first = section.querySelector("li");  // "All", selected while the filter is not in use
    if (first && first.classList.contains("selected")) section.open = false;
  });
});
