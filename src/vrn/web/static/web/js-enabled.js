// Marks the page for GOV.UK Frontend's styles as soon as the body exists (a file, not an
// inline script, so that the Content-Security-Policy can refuse every inline script).
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
