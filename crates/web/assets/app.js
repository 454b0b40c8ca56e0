// plantrack: the only script of the pages. It draws the charts whose options the server wrote
// into `data-chart`, and highlights the item a document link points at. Everything else is HTML.
(function () {
  function draw() {
    if (!window.echarts) return;
    document.querySelectorAll('[data-chart]').forEach(function (el) {
      var option;
      try { option = JSON.parse(el.getAttribute('data-chart')); } catch (e) { return; }
      var chart = echarts.init(el, null, { renderer: 'canvas' });
      option.animation = false;
      chart.setOption(option);
      el.setAttribute('data-rendered', '1');
      window.addEventListener('resize', function () { chart.resize(); });
    });
  }
  function mark() {
    var id = decodeURIComponent(location.hash.slice(1));
    // A line (p…: a search hit, an entry of the contents) is left where the browser puts it,
    // at the top; items (b…), task rows (t…) and the rest are marked and centred.
    if (!id || /^p\d+$/.test(id)) return;
    var el = document.getElementById(id);
    if (el) { el.classList.add('here'); el.scrollIntoView({ block: 'center' }); }
  }
  // The header's 我的待办 shows how many items wait (the link works without it).
  function queueCount() {
    var link = document.getElementById('my-queue');
    if (!link || !window.fetch) return;
    fetch('/api/me/queue', { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (q) {
        if (!q || !q.items.length) return;
        var n = document.createElement('span');
        n.className = 'count';
        n.textContent = String(q.items.length);
        link.appendChild(n);
      })
      .catch(function () {});
  }
  document.addEventListener('DOMContentLoaded', function () { draw(); mark(); queueCount(); });
  window.addEventListener('hashchange', mark);
})();
