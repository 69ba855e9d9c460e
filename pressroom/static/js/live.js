// Pages that update by themselves (a live press conference). The element with
// data-live-stream holds the address of its Server-Sent Events; each event replaces the
// content of the element data-live-fragment="<the event's name>" inside it. A fragment that
// is the same for every watcher carries a placeholder in its forms' CSRF fields; the page's
// own token (data-csrf) takes its place. What the user was doing in a fragment (an open
// disclosure, a value chosen) survives the update.
const PLACEHOLDER = "__pressroom_csrf_placeholder__";

function keepState(target) {
  const open = new Set([...target.querySelectorAll("details[open]")].map(
    (d) => d.closest("[id]")?.id));
  const values = new Map([...target.querySelectorAll("select, input[type=date], textarea")]
    .filter((field) => field.id && field.value)
    .map((field) => [field.id, field.value]));
  return () => {
    for (const id of open) {
      target.querySelector(`#${CSS.escape(id ?? "")} details`)?.setAttribute("open", "");
    }
    for (const [id, value] of values) {
      const field = target.querySelector(`#${CSS.escape(id)}`);
      if (field) field.value = value;
    }
  };
}

for (const root of document.querySelectorAll("[data-live-stream]")) {
  const source = new EventSource(root.dataset.liveStream);
  for (const target of root.querySelectorAll("[data-live-fragment]")) {
    source.addEventListener(target.dataset.liveFragment, (event) => {
      const restore = keepState(target);
      target.innerHTML = event.data;
      restore();
      const token = root.dataset.csrf;
      if (token) {
        for (const input of target.querySelectorAll('input[name="csrf_token"]')) {
          if (input.value === PLACEHOLDER) input.value = token;
        }
      }
      root.dataset.liveUpdated = String(Number(root.dataset.liveUpdated ?? 0) + 1);
    });
  }
}
