// Counts one view of the page's answer or press conference: a single POST to this site's
// /reach/hit, without cookies (credentials: "omit") and with no third party. The page names
// what it shows in <meta name="pressroom-reach" content="kind:id">. A page prerendered by the
// browser is counted only if the visitor opens it.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="pressroom-reach"]');
  if (!meta || !window.fetch) { return; }
  var parts = meta.content.split(":");
  function send() {
    var body = new URLSearchParams({ kind: parts[0], id: parts[1] });
    fetch("/reach/hit", {
      method: "POST", body: body, credentials: "omit", keepalive: true, cache: "no-store"
    }).catch(function () { /* not counted: the page works all the same */ });
  }
  if (document.prerendering) {
    document.addEventListener("prerenderingchange", send, { once: true });
  } else {
    send();
  }
})();
