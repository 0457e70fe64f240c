// The demo page (templates/collab/demo.html): mounts the widget with the room token the page
// minted, and renews it through the page's own token endpoint (the staff session, not a key).
(function () {
  "use strict";

  function start() {
    var config = document.getElementById("collab-demo-config");
    var host = document.getElementById("collab-demo-widget");
    if (!config || !host || !window.PulseCollab) return;
    var options = JSON.parse(config.textContent);
    var csrf = document.querySelector("#collab-demo-refresh input[name=csrfmiddlewaretoken]");

    options.getToken = function () {
      var body = new URLSearchParams({ room: options.roomId, as: options.userId });
      return fetch(options.tokenUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf ? csrf.value : "" },
        body: body,
      }).then(function (response) {
        if (!response.ok) throw new Error("Could not renew the room token (" + response.status + ").");
        return response.json();
      }).then(function (payload) {
        return payload.token;
      });
    };
    window.collabDemoWidget = window.PulseCollab.mount(host, options);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
