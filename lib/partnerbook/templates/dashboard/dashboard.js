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
  function set(id, text) { document.getElementById(id).textContent = text; }
  function number(v) { return v === null || v === '' ? null : parseFloat(v); }

  /* each row's values read once: a filter change or a sort touches no attribute again */
  var keys = selects.map(function (s) { return s.getAttribute('data-filter'); });
  var items = rows.map(function (r) {
    return {row: r, health: r.getAttribute('data-health'),
            values: keys.map(function (k) { return r.getAttribute('data-' + k); }),
            revenue: number(r.getAttribute('data-revenue')) || 0,
            prior: number(r.getAttribute('data-prior')), target: number(r.getAttribute('data-target'))};
  });

  function totals(shown) {
    var revenue = 0, prior = 0, priors = 0, won = 0, target = 0, risk = 0, watch = 0;
    shown.forEach(function (it) {
      var v = it.revenue, p = it.prior, t = it.target;
      revenue += v;
      if (p !== null) { prior += p; priors += 1; }
      if (t) { won += v; target += t; }
      if (it.health === 'at risk') { risk += 1; }
      if (it.health === 'watch') { watch += 1; }
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

  /* a long programme shows its first PAGE matching rows (in the current order) and a button
     for the next PAGE; the other rows are kept out of the table (not hidden in it): styling
     and laying out 10,000 rows after each filter or sort took seconds */
  var PAGE = 100, limit = PAGE, order = items.slice(), state = null, attached = rows.slice();
  var more = document.createElement('button');
  more.type = 'button';
  more.id = 'pb-more';
  more.hidden = true;
  more.addEventListener('click', function () { limit += PAGE; show(); });
  table.parentNode.parentNode.insertBefore(more, table.parentNode.nextSibling);

  function matches(it, wanted) {
    for (var i = 0; i < wanted.length; i++) {
      if (wanted[i] !== '' && it.values[i] !== wanted[i]) { return false; }
    }
    return true;
  }
  function same(a, b) {
    if (a.length !== b.length) { return false; }
    for (var i = 0; i < a.length; i++) { if (a[i] !== b[i]) { return false; } }
    return true;
  }
  function show() {
    var wanted = selects.map(function (s) { return s.value; });
    var all = [], visible = [];
    order.forEach(function (it) {
      if (!matches(it, wanted)) { return; }
      all.push(it);
      if (visible.length < limit) { visible.push(it.row); }
    });
    if (!same(visible, attached)) {     /* one replacement: one layout of the rows shown */
      var fragment = document.createDocumentFragment();
      visible.forEach(function (r) { fragment.appendChild(r); });
      body.textContent = '';
      body.appendChild(fragment);
      attached = visible;
    }
    var matched = all.length;
    var count = Math.min(matched, limit);
    set('pb-shown', matched <= count ? matched + ' of ' + rows.length + ' partners shown.'
      : matched === rows.length ? count + ' of ' + matched + ' partners shown.'
      : count + ' of ' + matched + ' matching partners shown (' + rows.length + ' in all).');
    more.hidden = matched <= count;
    more.textContent = 'Show ' + Math.min(PAGE, matched - count) + ' more of ' + (matched - count);
    totals(all);
  }
  function apply() {
    var now = selects.map(function (s) { return s.value; }).join('\u0000');
    if (now === state) { return; }      /* a select fires input and change: filter once */
    state = now;
    limit = PAGE;
    show();
  }
  selects.forEach(function (s) {
    s.addEventListener('change', apply);
    s.addEventListener('input', apply);
  });

  function sortKey(r, col) {
    var c = r.cells[col], v = c.getAttribute('data-sort');
    if (v === null) { return c.textContent.trim().toLowerCase(); }
    if (v === '') { return null; }
    var n = parseFloat(v);
    return isNaN(n) ? v : n;
  }
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  heads.forEach(function (th, col) {
    var button = th.querySelector('button');
    var column = null;                  /* [row, key] pairs, read on the first sort of the column */
    button.addEventListener('click', function () {
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      if (!column) { column = rows.map(function (r, i) { return {row: r, key: sortKey(r, col), at: i}; }); }
      var sorted = column.slice().sort(function (a, b) {
        var x = a.key, y = b.key;
        if (x === null && y === null) { return a.at - b.at; }
        if (x === null) { return 1; }
        if (y === null) { return -1; }
        return ((x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1)) || a.at - b.at;
      });
      order = sorted.map(function (s) { return items[s.at]; });
      show();
    });
  });
  apply();
}());
