// Accessibility fixes to Material's own markup (measured with axe-core in the browser tests).
//
// Material's instant-loading progress bar (`navigation.instant.progress`) is a role=progressbar
// element without an accessible name (axe: aria-progressbar-name, WCAG 1.1.1 / 4.1.2). The bar
// sits outside the content that instant navigation swaps, but naming it on every `document$`
// emission also covers a theme change that re-creates it.

function nameProgressBar() {
  for (const bar of document.querySelectorAll('.md-progress[role="progressbar"]:not([aria-label])')) {
    bar.setAttribute("aria-label", "Loading page");
  }
}

nameProgressBar(); // the bar is already in the document when this script runs (end of <body>)
if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
  window.document$.subscribe(nameProgressBar);
}
