/* The partner dashboard: filters, totals that follow them, sorting. No network, no data here. */
(function () {
  var table = document.getElementById('pb-partners');
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var selects = Array.prototype.slice.call(document.querySelectorAll('select[data-filter]'));
  var symbol = table.getAttribute('data-symbol'), code = table.getAttribute('data-currency');

  function grouped(n) { return String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
  function money(n) {
    var sign = n < 0 ? '-' : '';
    return symbol ? sign + symbol + grouped(n) : sign + grouped(n) + ' ' + code;
  }
  function percent(x, signed) {   /* as numbers.percent: '+12%', '\u221212%' when signed */
    var text = grouped(x * 100) + '%';
    return signed ? (x < 0 ? '\u2212' : '+') + text : (x < 0 ? '-' : '') + text;
  }
  function number(row, name) {
    var v = row.getAttribute('data-' + name);
    return v === null || v === '' ? null : parseFloat(v);
  }
  function set(id, text) { document.getElementById(id).textContent = text; }

  function totals(shown) {
    var revenue = 0, prior = 0, priors = 0, won = 0, target = 0, risk = 0, watch = 0;
    shown.forEach(function (r) {
      var v = number(r, 'revenue') || 0, p = number(r, 'prior'), t = number(r, 'target');
      revenue += v;
      if (p !== null) { prior += p; priors += 1; }
      if (t) { won += v; target += t; }
      if (r.getAttribute('data-health') === 'at risk') { risk += 1; }
      if (r.getAttribute('data-health') === 'watch') { watch += 1; }
    });
    var own = ' on their own ' + table.getAttribute('data-prior') + ' revenue';
    set('total-count', 'Total of the ' + grouped(shown.length) + ' partner' + (shown.length === 1 ? '' : 's') + ' listed');
    set('total-health', risk + ' at risk, ' + watch + ' watch');
    set('total-revenue', money(revenue));
    set('total-change', !priors ? '\u2014' : prior === 0 ? (revenue ? 'up from ' + money(0) + own : 'no change' + own)
                                 : percent(revenue / prior - 1, true) + own);
    set('total-attainment', target ? percent(won / target, false) + ' of the sum of their targets'
                                   : '\u2014 (no revenue targets)');
  }

  function apply() {
    var shown = rows.filter(function (r) {
      return selects.every(function (s) {
        return s.value === '' || r.getAttribute('data-' + s.getAttribute('data-filter')) === s.value;
      });
    });
    rows.forEach(function (r) { r.hidden = shown.indexOf(r) < 0; });
    set('pb-shown', shown.length + ' of ' + rows.length + ' partners shown.');
    totals(shown);
  }
  selects.forEach(function (s) {
    s.addEventListener('change', apply);
    s.addEventListener('input', apply);
  });

  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  heads.forEach(function (th, col) {
    var button = th.querySelector('button');
    button.addEventListener('click', function () {
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      function key(r) {
        var c = r.cells[col], v = c.getAttribute('data-sort');
        if (v === null) { return c.textContent.trim().toLowerCase(); }
        if (v === '') { return null; }
        var n = parseFloat(v);
        return isNaN(n) ? v : n;
      }
      var sorted = rows.slice().sort(function (a, b) {
        var x = key(a), y = key(b);
        if (x === null && y === null) { return 0; }
        if (x === null) { return 1; }
        if (y === null) { return -1; }
        return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
      });
      sorted.forEach(function (r) { body.appendChild(r); });
    });
  });
  apply();
}());
