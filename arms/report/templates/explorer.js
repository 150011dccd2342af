(function () {
  const data = JSON.parse(document.getElementById('explorer-data').textContent);
  const $ = (id) => document.getElementById(id);
  const state = {role: data.first.role, party: data.first.party,
                 from: data.years[0], to: data.years[1]};
  const hash = new URLSearchParams(location.hash.replace(/^#/, ''));
  for (const role of ['recipient', 'supplier']) {
    if (hash.has(role)) { state.role = role; state.party = hash.get(role); }
  }
  if (hash.has('from')) state.from = +hash.get('from');
  if (hash.has('to')) state.to = +hash.get('to');
  let view = null;
  function fillParties() {
    const select = $('party');
    select.innerHTML = '';
    for (const name of data.parties[state.role]) {
      const o = document.createElement('option');
      o.value = o.textContent = name;
      select.appendChild(o);
    }
    if (!data.parties[state.role].includes(state.party)) {
      state.party = data.parties[state.role][0] || '';
    }
    select.value = state.party;
  }
  function controls() {
    $('role').value = state.role;
    fillParties();
    for (const id of ['from', 'to']) {
      $(id).min = data.years[0]; $(id).max = data.years[1]; $(id).value = state[id];
    }
  }
  const col = (name) => data.columns.indexOf(name);
  function dealYears(row) {
    const text = String(row[col('delivery_years')] ?? '');
    return (text.match(/\d{4}/g) || []).map(Number);
  }
  function renderTable() {
    const me = col(state.role), q = $('search').value.trim().toLowerCase();
    const ys = col('order_year');
    const rows = data.deals.filter((row) => {
      if (row[me] !== state.party) return false;
      const years = dealYears(row);
      const inRange = years.some((y) => y >= state.from && y <= state.to) ||
        (row[ys] !== null && row[ys] >= state.from && row[ys] <= state.to);
      if (!inRange) return false;
      return !q || row.some((v) => v !== null && String(v).toLowerCase().includes(q));
    });
    const shown = rows.slice(0, 500);
    const body = $('deals').querySelector('tbody');
    body.innerHTML = '';
    for (const row of shown) {
      const tr = document.createElement('tr');
      row.forEach((v, i) => {
        const td = document.createElement('td');
        td.textContent = v === null ? '' : String(v);
        if (typeof v === 'number') td.className = 'num';
        tr.appendChild(td);
      });
      body.appendChild(tr);
    }
    $('count').textContent = rows.length + ' deal(s)' +
      (rows.length > shown.length ? ', first ' + shown.length + ' shown' : '');
    $('heading').textContent = (state.role === 'recipient' ? 'Suppliers of ' : 'Customers of ') +
      state.party + ', ' + state.from + '-' + state.to;
    document.body.dataset.selection = state.role + ':' + state.party;
  }
  function apply() {
    renderTable();
    if (!view) return Promise.resolve();
    return view.signal('role', state.role).signal('party', state.party)
      .signal('start', state.from).signal('end', state.to).runAsync();
  }
  $('role').addEventListener('change', (e) => { state.role = e.target.value; fillParties(); apply(); });
  $('party').addEventListener('change', (e) => { state.party = e.target.value; apply(); });
  $('from').addEventListener('change', (e) => { state.from = +e.target.value; apply(); });
  $('to').addEventListener('change', (e) => { state.to = +e.target.value; apply(); });
  $('search').addEventListener('input', renderTable);
  const head = $('deals').querySelector('thead tr');
  for (const c of data.columns) {
    const th = document.createElement('th');
    th.textContent = c === 'tiv_delivered' ? 'TIV delivered (millions, volume)' : c.replace(/_/g, ' ');
    head.appendChild(th);
  }
  controls();
  renderTable();
  vegaEmbed('#chart', data.spec, {renderer: 'svg', actions: false}).then((result) => {
    view = result.view;
    return apply();
  }).then(() => { document.body.dataset.rendered = 'yes'; })
    .catch((err) => { $('chart').textContent = 'Chart error: ' + err; });
})();
