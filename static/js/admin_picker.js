// The admin's two-list picker (SelectFilter2.js) builds, on the window's load, a hint icon: a <span> with
// aria-label and no role, which ARIA does not allow. Given role="img", the hint is a named image inside the
// filter's label. Registered after SelectFilter2.js's own load handler, so it runs once the pickers are built.
(function () {
  "use strict";
  window.addEventListener("load", function () {
    document.querySelectorAll(".selector span.search-label-icon[aria-label]").forEach(function (icon) {
      if (!icon.hasAttribute("role")) icon.setAttribute("role", "img");
    });
  });
})();
