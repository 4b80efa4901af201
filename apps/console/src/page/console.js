/* global document, window, fetch, sessionStorage */
// The saga console's page: plain DOM, no framework; every call goes to this console's own /api.
const $ = (sel) => document.querySelector(sel);
const tokenKey = 'choreo.console.token';
const token = () => sessionStorage.getItem(tokenKey) ?? '';

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) node.setAttribute(k, v);
  for (const c of children.flat()) node.append(c instanceof window.Node ? c : String(c ?? ''));
  return node;
}
const badge = (text) => el('span', { class: `badge ${text}` }, text);
const sagaLink = (id) => el('a', { href: `#/saga/${encodeURIComponent(id)}`, class: 'mono' }, id);
const when = (iso) => (iso ? new Date(iso).toISOString().replace('T', ' ').replace('Z', '') : '');

function table(headers, rows, empty) {
  if (rows.length === 0) return el('p', { class: 'empty' }, empty);
  return el(
    'table',
    {},
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        headers.map((h) => el('th', {}, h)),
      ),
    ),
    el(
      'tbody',
      {},
      rows.map((r) =>
        el(
          'tr',
          {},
          r.map((c) => el('td', {}, c)),
        ),
      ),
    ),
  );
}

function status(text, error = false) {
  $('#status').textContent = text;
  $('#status').className = error ? 'error' : '';
}

async function api(path, init = {}) {
  const res = await fetch(path, { ...init, headers: { Authorization: `Bearer ${token()}`, 'Content-Type': 'application/json' } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok)
    throw new Error(
      res.status === 401 ? 'The admin token is missing or wrong: enter it above.' : `${body.title ?? res.status}: ${body.detail ?? ''}`,
    );
  return body;
}

function show(title, ...content) {
  $('#view').replaceChildren(el('h2', {}, title), ...content);
}

async function sagaView(orderId) {
  $('#order-id').value = orderId;
  status(`Reading order ${orderId} from the three services …`);
  const s = await api(`/api/sagas/${encodeURIComponent(orderId)}`);
  const o = s.order;
  const summary = el(
    'div',
    { class: 'summary' },
    el('div', {}, el('span', {}, 'order'), el('b', { class: 'mono' }, o.orderId)),
    el('div', {}, el('span', {}, 'status'), badge(o.status), o.cancellationReason ? ` ${o.cancellationReason}` : ''),
    el('div', {}, el('span', {}, 'customer'), o.customerId),
    el('div', {}, el('span', {}, 'total'), `${(o.totalCents / 100).toFixed(2)}`),
    el('div', {}, el('span', {}, 'reservation'), s.reservation ? badge(s.reservation.status) : '—'),
    el('div', {}, el('span', {}, 'payment'), s.payment ? badge(s.payment.payment.status) : '—'),
  );
  const story = table(
    ['time (UTC)', 'service', 'what', 'outcome', 'detail'],
    s.story.map((e) => [
      el('span', { class: 'mono' }, when(e.at)),
      el('span', { class: `svc ${e.service}` }, e.service),
      e.what,
      e.outcome ? badge(e.outcome) : '',
      e.detail ?? '',
    ]),
    'Nothing recorded yet.',
  );
  const lines = s.reservation
    ? table(
        ['sku', 'quantity'],
        s.reservation.lines.map((l) => [l.sku, l.quantity]),
        'No lines held (rejected or cancelled before reservation).',
      )
    : el('p', { class: 'empty' }, 'inventory-service has no reservation for this order.');
  const ledger = s.payment
    ? table(
        ['time (UTC)', 'kind', 'cents', 'customer'],
        s.payment.ledger.map((l) => [when(l.at), l.kind, l.amountCents, l.customerId]),
        'No ledger movement for this order.',
      )
    : el('p', { class: 'empty' }, 'payment-service has not heard of this order.');
  show(
    `Saga ${o.orderId}`,
    summary,
    el('h2', {}, 'Story, in time order'),
    story,
    el('h2', {}, 'Reservation lines'),
    lines,
    el('h2', {}, 'Ledger movements'),
    ledger,
  );
  status(`${s.story.length} entries from order-service, inventory-service and payment-service.`);
}

async function stuckView() {
  const { stuckAfterMs, sagas } = await api('/api/stuck-sagas');
  show(
    `Stuck sagas (past their deadline, or open longer than ${stuckAfterMs / 1000} s)`,
    table(
      ['order', 'status', 'customer', 'placed (UTC)', 'age', 'deadline'],
      sagas.map((s) => [
        sagaLink(s.orderId),
        badge(s.status),
        s.customerId,
        when(s.placedAt),
        `${Math.round(s.ageSeconds)} s`,
        s.pastDeadline ? badge('stuck') : when(s.deadlineAt),
      ]),
      'No stuck saga.',
    ),
  );
  status(`${sagas.length} stuck saga(s).`);
}

async function parkedView() {
  const { parked } = await api('/api/parked');
  show(
    'Parked events',
    table(
      ['parked since (UTC)', 'consumer', 'event', 'saga', 'reason'],
      parked.map((p) => [
        when(p.parkedAt),
        el('span', { class: `svc ${p.service}` }, p.service),
        p.eventType,
        sagaLink(p.sagaId),
        p.reason,
      ]),
      'Nothing is parked.',
    ),
  );
  status(`${parked.length} parked event(s).`);
}

async function deadLettersView() {
  const all = (await api('/api/dead-letters')).deadLetters;
  const deadLetters = all.slice(-50).reverse();
  const redrive = (d) =>
    el(
      'button',
      { type: 'button', 'data-redrive': d.id, 'data-saga': d.sagaId, title: `publish it to ${d.redrive.topic}, key ${d.redrive.key}` },
      'Redrive…',
    );
  const reason = (m) => el('span', { title: m }, m.length > 140 ? `${m.slice(0, 140)} …` : m);
  show(
    'Dead letters',
    table(
      ['record', 'code', 'consumer', 'event', 'saga', 'reason', 'at (UTC)', ''],
      deadLetters.map((d) => [
        el('span', { class: 'mono' }, d.id),
        badge(d.code),
        d.consumer,
        `${d.eventType ?? '?'} ${d.aggregateSeq ? `#${d.aggregateSeq}` : ''}`,
        d.sagaId ? sagaLink(d.sagaId) : '',
        reason(d.message),
        el('span', { class: 'mono' }, when(d.at)),
        redrive(d),
      ]),
      'No dead-lettered record.',
    ),
  );
  status(
    `${all.length} dead-lettered record(s)${all.length > deadLetters.length ? `; the newest ${deadLetters.length} first` : ', newest first'}.`,
  );
}

async function redriveClicked(id, title) {
  if (!window.confirm(`Redrive ${id}?\n\nIt will be ${title}, with its original headers and value. Deploy the fix first.`)) return;
  const r = await api('/api/dead-letters/redrive', { method: 'POST', body: JSON.stringify({ id }) });
  await deadLettersView();
  status(
    `Redriven ${r.id} to ${r.topic} partition ${r.partition} offset ${r.offset}. The DLQ keeps its copy; open the saga to see it applied.`,
  );
}

async function route() {
  const [, view, arg] = window.location.hash.split('/');
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.view === (view || 'saga'));
  $('#find-form').hidden = (view || 'saga') !== 'saga';
  try {
    if (view === 'stuck') await stuckView();
    else if (view === 'parked') await parkedView();
    else if (view === 'dead-letters') await deadLettersView();
    else if (arg) await sagaView(decodeURIComponent(arg));
    else show('Find an order', el('p', { class: 'empty' }, 'Enter an order id to see its story across the three services.'));
  } catch (error) {
    status(error.message, true);
  }
}

$('#token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem(tokenKey, $('#token').value);
  $('#token-state').textContent = 'set';
  void route();
});
$('#find-form').addEventListener('submit', (e) => {
  e.preventDefault();
  window.location.hash = `#/saga/${encodeURIComponent($('#order-id').value.trim())}`;
});
$('#view').addEventListener('click', (e) => {
  const id = e.target.dataset?.redrive;
  if (id) redriveClicked(id, e.target.title).catch((error) => status(error.message, true));
});
window.addEventListener('hashchange', () => void route());
$('#token-state').textContent = token() ? 'set' : '';
void route();
