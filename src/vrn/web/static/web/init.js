// Starts GOV.UK Frontend's components (a module, not an inline script: see js-enabled.js).
import { initAll } from "../govuk-frontend/govuk-frontend.min.js";

initAll();
