// Renders the maths of a workbook page with the local KaTeX. Markdig marks maths as
// <span class="math">\(...\)</span> (inline) and <div class="math">\[...\]</div> (display).
(function () {
  function renderMath() {
    if (!window.katex) { return; }
    document.querySelectorAll('.markdown .math, nav .math, .lessons .math').forEach(function (el) {
      var tex = el.textContent.trim();
      var display = el.tagName === 'DIV';
      if (tex.indexOf('\\(') === 0 && tex.lastIndexOf('\\)') === tex.length - 2) { tex = tex.slice(2, -2); }
      else if (tex.indexOf('\\[') === 0 && tex.lastIndexOf('\\]') === tex.length - 2) { tex = tex.slice(2, -2); display = true; }
      try { window.katex.render(tex, el, { displayMode: display, throwOnError: false }); }
      catch (e) { el.classList.add('math-error'); el.title = String(e); }
    });
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', renderMath); }
  else { renderMath(); }
})();
