/*
 * Two things a screen reader announces that the theme leaves unnamed, fixed
 * without overriding the theme's templates:
 *
 * - the search box opens a role="dialog" with no name: call it "Search";
 * - each code block's copy button sits in a <nav>, so a page with ten code
 *   blocks has ten identical "navigation" landmarks: those are a group of
 *   buttons, not navigation, so they lose the landmark role.
 *
 * Material adds code blocks' buttons after load and again on every instant
 * navigation, so a MutationObserver applies this to whatever appears.
 * tests/e2e/test_accessibility.py checks both with axe-core
 * (aria-dialog-name, landmark-unique).
 */
(function () {
  function name(root) {
    root.querySelectorAll(".md-search[role=dialog]:not([aria-label])").forEach(
      function (dialog) {
        dialog.setAttribute("aria-label", "Search");
      }
    );
    root.querySelectorAll("nav.md-code__nav:not([role])").forEach(
      function (nav) {
        nav.setAttribute("role", "none");
      }
    );
  }
  name(document);
  new MutationObserver(function () {
    name(document);
  }).observe(document.body, { childList: true, subtree: true });
})();
