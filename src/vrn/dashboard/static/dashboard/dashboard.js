// Progressive enhancement of the dashboard pages: everything works without it.
//
// - "Copy link" buttons (hidden without JavaScript) copy the address of the current view,
//   whose filters are all in the URL, to the clipboard, and say so in a live region.
// - Each filter's summary counts the values chosen as they are ticked, so a user can see
//   what the next "Show" will ask for before submitting.

for (const button of document.querySelectorAll("[data-vrn-copy-link]")) {
  const link = document.getElementById(button.dataset.vrnCopyLink);
  if (!link || !navigator.clipboard) continue;
  const status = document.createElement("span");
  status.setAttribute("role", "status");
  status.className = "govuk-body-s vrn-copy-status";
  button.after(status);
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(link.href);
      status.textContent = "Link copied.";
    } catch {
      status.textContent = "Could not copy: select the link and copy it.";
    }
  });
}

for (const details of document.querySelectorAll("details.vrn-filter")) {
  const summary = details.querySelector(".govuk-details__summary-text");
  const boxes = details.querySelectorAll("input[type=checkbox]");
  const list = details.querySelector("select[multiple]");
  if (!summary || (boxes.length === 0 && !list)) continue;
  const name = summary.textContent.replace(/ \(\d+ chosen\)$/, "");
  const update = () => {
    const chosen = list
      ? list.selectedOptions.length
      : [...boxes].filter((box) => box.checked).length;
    summary.textContent = chosen ? `${name} (${chosen} chosen)` : name;
  };
  details.addEventListener("change", update);
}
