/* The partner dashboard: filters, totals that follow them, sorting. No network, no data here.
   Numbers are formatted by the browser for the page's language (Intl, as the server's Babel
   formats do); every sentence comes translated from the page (#pb-words), never from here. */
(function () {
  var table = document.getElementById('pb-partners');
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var selects = Array.prototype.slice.call(document.querySelectorAll('select[data-filter]'));
  var lang = document.documentElement.lang || 'en-US', code = table.getAttribute('data-currency');
  var words = JSON.parse(document.getElementById('pb-words').textContent);
  var plurals = new Intl.PluralRules(lang);
  var counts = new Intl.NumberFormat(lang, {maximumFractionDigits: 0});
  var amounts = new Intl.NumberFormat(lang, {style: 'currency', currency: code,
                                              minimumFractionDigits: 0, maximumFractionDigits: 0});
  var shares = new Intl.NumberFormat(lang, {style: 'percent', maximumFractionDigits: 0});
  var signedShares = new Intl.NumberFormat(lang, {style: 'percent', maximumFractionDigits: 0, signDisplay: 'always'});

  function minus(text) { return text.replace(/[-\u2212]/g, '\u2212'); }   /* one minus sign, as numbers */
  function count(n) { return counts.format(n); }
  function money(n) { return minus(amounts.format(n)); }
  function percent(x, signed) {   /* as numbers.percent: '+12%', '\u221212%' when signed; a rounded 0 is '+0%' */
    if (Math.round(Math.abs(x) * 100) === 0) { x = 0; }
    return minus((signed ? signedShares : shares).format(x));
  }
  function changed(x) {  /* a change as the server says it: 'no change' where it rounds to 0% */
    return Math.round(Math.abs(x) * 100) === 0 ? words.no_change : percent(x, true);
  }
  function fill(message, values) {  /* a translated message's {named} placeholders filled */
    return message.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all; });
  }
  function plural(forms, n) { return forms[plurals.select(n) === 'one' ? 0 : 1]; }
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
    var revenue = 0, prior = 0, priors = 0, won = 0, target = 0, targeted = 0, risk = 0, watch = 0;
    shown.forEach(function (it) {
      var v = it.revenue, p = it.prior, t = it.target;
      revenue += v;
      if (p !== null) { prior += p; priors += 1; }
      if (t) { won += v; target += t; targeted += 1; }
      if (it.health === 'at risk') { risk += 1; }
      if (it.health === 'watch') { watch += 1; }
    });
    function own(change) { return fill(words.own, {change: change, period: words.prior}); }
    set('total-count', fill(plural(words.total, shown.length), {n: count(shown.length)}));
    set('total-health', fill(words.health, {at_risk: count(risk), watch: count(watch)}));
    set('total-revenue', money(revenue));
    set('total-change', !priors ? '\u2014' : prior === 0 ? own(revenue ? fill(words.up_from, {amount: money(0)}) : words.no_change)
                                 : own(changed(revenue / prior - 1)));
    set('total-attainment', target ? fill(plural(words.of_targets, targeted),
                                          {share: percent(won / target, false), revenue: money(won),
                                           n: count(targeted), target: money(target)})
                                   : '\u2014 (' + words.no_targets + ')');
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
    var listed = Math.min(matched, limit);
    set('pb-shown', matched <= listed ? fill(plural(words.shown, rows.length), {n: count(matched), total: count(rows.length)})
      : matched === rows.length ? fill(plural(words.shown, matched), {n: count(listed), total: count(matched)})
      : fill(plural(words.matching, matched), {n: count(listed), matched: count(matched), total: count(rows.length)}));
    more.hidden = matched <= listed;
    more.textContent = fill(words.more, {n: count(Math.min(PAGE, matched - listed)), rest: count(matched - listed)});
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
