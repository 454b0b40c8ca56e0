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
    if (!id) return;
    var el = document.getElementById(id);
    if (el) { el.classList.add('here'); el.scrollIntoView({ block: 'center' }); }
  }
  document.addEventListener('DOMContentLoaded', function () { draw(); mark(); });
  window.addEventListener('hashchange', mark);
})();
