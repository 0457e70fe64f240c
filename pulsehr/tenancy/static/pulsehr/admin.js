// The admin header's workspace switch (templates/admin/base_site.html) submits as soon as a
// workspace is chosen. A static file rather than an onchange attribute: the Content-Security-Policy
// allows no inline script.
document.addEventListener("change", function (event) {
  "use strict";
  if (event.target.id === "pulsehr-workspace" && event.target.form) event.target.form.requestSubmit();
});
