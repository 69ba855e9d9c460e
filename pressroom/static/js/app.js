// Pressroom's only script of its own. Loaded as a module, so it runs after the document is
// parsed and only in browsers that GOV.UK Frontend supports. The class GOV.UK's template adds
// with an inline <script> is added here instead: the CSP allows no inline script.
import { initAll } from "./govuk-frontend.min.js";
// Live pages (a press conference under way) update themselves from the server's events.
import "./live.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Content that htmx swaps in gets its GOV.UK components too. htmx reports each new element;
// GOV.UK looks only below its scope, so the scope is the element's parent. Components that
// are already running report "already initialised" (InitError): expected, not logged.
document.addEventListener("htmx:after:process", (event) => {
  if (!(event.target instanceof Element)) {
    return;
  }
  initAll({
    scope: event.target.parentElement ?? event.target,
    onError: (error) => {
      if (error.name !== "InitError") {
        console.error(error);
      }
    },
  });
});

// The transcript editor: a speaker chosen from the list of spokespersons brings their title
// into the turn's empty "Role or title" field.
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.list || !input.name.endsWith("-speaker_name")) {
    return;
  }
  const option = [...input.list.options].find((item) => item.value === input.value);
  const role = input.form?.elements.namedItem(input.name.replace(/speaker_name$/, "speaker_role"));
  if (option && role instanceof HTMLInputElement && !role.value) {
    role.value = option.dataset.role ?? "";
  }
});
