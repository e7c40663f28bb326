/**
 * The page's own script (plain browser JavaScript, inlined after the libraries): draws every plot
 * from its compiled Vega spec into an SVG, shows hover values in a floating box, builds the 3-D
 * view, and records problems in window.reportErrors (the browser test fails on any). When every
 * plot and view is drawn it sets <body data-ready="true">.
 */
export const PAGE_SCRIPT = `
(function () {
  'use strict';
  window.reportErrors = [];
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var tip = document.createElement('div');
  tip.className = 'tip';
  document.body.appendChild(tip);
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c];
    });
  }
  function tooltip(handler, event, item, value) {
    if (value == null || value === '') { tip.style.display = 'none'; return; }
    var html = typeof value === 'object'
      ? Object.keys(value).map(function (k) { return '<b>' + esc(k) + '</b> ' + esc(value[k]); }).join('<br>')
      : esc(value);
    tip.innerHTML = html;
    tip.style.display = 'block';
    var x = event.clientX + 14, y = event.clientY + 14;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > window.innerWidth - 4) x = event.clientX - w - 14;
    if (y + h > window.innerHeight - 4) y = event.clientY - h - 14;
    tip.style.left = x + 'px';
    tip.style.top = y + 'px';
  }
  var pending = [];
  data.plots.forEach(function (p) {
    var el = document.getElementById('plot-' + p.id);
    try {
      var view = new vega.View(vega.parse(p.spec), { renderer: 'svg', container: el, hover: true, tooltip: tooltip });
      pending.push(view.runAsync().then(function () { el.dataset.drawn = 'true'; })
        .catch(function (e) { window.reportErrors.push('plot ' + p.id + ': ' + e); }));
    } catch (e) {
      window.reportErrors.push('plot ' + p.id + ': ' + e);
    }
  });
  var BOHR_A = 0.529177210903;
  var UNIT_COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#393b79', '#637939', '#8c6d31'];
  data.viewers.forEach(function (v) {
    var el = document.getElementById('viewer-' + v.id);
    try {
      var viewer = $3Dmol.createViewer(el, { backgroundColor: 'white', antialias: true, preserveDrawingBuffer: true });
      var n = v.symbols.length;
      var partners = v.symbols.map(function () { return []; });
      v.bonds.forEach(function (b) { partners[b[0]].push(b[1]); partners[b[1]].push(b[0]); });
      var atoms = v.symbols.map(function (s, i) {
        return { elem: s, x: v.positions[3 * i], y: v.positions[3 * i + 1], z: v.positions[3 * i + 2],
          serial: i, index: i, bonds: partners[i], bondOrder: partners[i].map(function () { return 1; }) };
      });
      var model = viewer.addModel();
      model.addAtoms(atoms);
      viewer.setStyle({}, { sphere: { radius: 0.22, color: '#9a9a9a' } });
      var byUnit = {};
      v.unit.forEach(function (u, i) { if (u >= 0) (byUnit[u] = byUnit[u] || []).push(i); });
      Object.keys(byUnit).forEach(function (u) {
        var c = UNIT_COLOURS[u % UNIT_COLOURS.length];
        viewer.setStyle({ index: byUnit[u] }, { stick: { radius: 0.14, color: c }, sphere: { radius: 0.3, color: c } });
      });
      viewer.setStyle({ elem: v.species }, { sphere: { radius: 0.38, color: '#7b2cbf' } });
      var m = v.cell;
      var corner = function (a, b, c) {
        return { x: a * m[0] + b * m[3] + c * m[6], y: a * m[1] + b * m[4] + c * m[7], z: a * m[2] + b * m[5] + c * m[8] };
      };
      [[0,0,0,1,0,0],[0,0,0,0,1,0],[0,0,0,0,0,1],[1,0,0,1,1,0],[1,0,0,1,0,1],[0,1,0,1,1,0],
       [0,1,0,0,1,1],[0,0,1,1,0,1],[0,0,1,0,1,1],[1,1,0,1,1,1],[1,0,1,1,1,1],[0,1,1,1,1,1]].forEach(function (e) {
        viewer.addCylinder({ start: corner(e[0], e[1], e[2]), end: corner(e[3], e[4], e[5]), radius: 0.04, color: 'black', fromCap: 1, toCap: 1 });
      });
      var volumes = {};
      v.densities.forEach(function (d) { volumes[d.temperatureK] = d.cube; });
      var surface = null;
      var select = document.getElementById('viewer-' + v.id + '-T');
      var level = document.getElementById('viewer-' + v.id + '-level');
      var levelText = document.getElementById('viewer-' + v.id + '-level-text');
      function draw() {
        if (surface) { viewer.removeShape(surface); surface = null; }
        var T = select ? select.value : null;
        var value = Math.pow(10, Number(level.value));
        levelText.textContent = value.toExponential(1) + ' Å⁻³';
        if (T && volumes[T]) {
          if (typeof volumes[T] === 'string') volumes[T] = new $3Dmol.VolumeData(volumes[T], 'cube');
          // The cube's values are per bohr^3; the level is per A^3.
          surface = viewer.addIsosurface(volumes[T], { isoval: value * Math.pow(BOHR_A, 3), color: '#e69500', opacity: 0.7, smoothness: 1 });
        }
        viewer.render();
      }
      if (select) select.addEventListener('change', draw);
      if (level) level.addEventListener('input', draw);
      viewer.zoomTo();
      draw();
      el.dataset.drawn = 'true';
    } catch (e) {
      window.reportErrors.push('3-D view ' + v.id + ': ' + e);
    }
  });
  window.addEventListener('error', function (e) { window.reportErrors.push(String(e.message)); });
  Promise.all(pending).then(function () { document.body.dataset.ready = 'true'; });
})();
`;
