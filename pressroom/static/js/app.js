// Pressroom's only script of its own. Loaded as a module, so it runs after the document is
// parsed and only in browsers that GOV.UK Frontend supports. The class GOV.UK's template adds
// with an inline <script> is added here instead: the CSP allows no inline script.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
