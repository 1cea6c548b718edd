// The family's case page: draws the family's view of the case, keeps it live from the case
// stream and sends the consent events the engine offers. Plain DOM, no framework: the page is
// small and must load fast on a phone.

const body = document.body;
const kommune = body.dataset.kommune;
const caseId = body.dataset.caseId;
const base = `/api/v1/kommuner/${encodeURIComponent(kommune)}/cases/${encodeURIComponent(caseId)}`;
const root = document.getElementById('sak');
const message = document.getElementById('melding');

/**
 * How this page signs in, the one place that says it: the families' session cookie (sent by the
 * browser; the page carries its CSRF token), or a bearer token the visualizer keeps (staff tools,
 * tests with the development issuer).
 */
function authHeaders() {
  const token = sessionStorage.getItem('sluse.token');
  if (token) return { Authorization: `Bearer ${token}` };
  // Signed in with the families' cookie: the browser sends it; changes carry the CSRF token.
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content;
  return csrf ? { 'X-CSRF-Token': csrf } : {};
}

let view = null;
let loading = null;
let following = false;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c) node.append(c);
  return node;
}

function say(text) {
  message.textContent = text;
}

async function readJson(res) {
  try {
    return await res.json();
  } catch {
    return null;
  }
}

/** How long to wait before reading again after a failed read; doubles up to 30 seconds. */
let retryDelay = 0;
let retryTimer = null;

/** Statuses that will not change by asking again: the page says so and stops. */
function finalRefusal(status) {
  return status === 401 || status === 403 || status === 404;
}

async function load() {
  let res;
  let data = null;
  try {
    res = await fetch(`${base}/family`, {
      headers: { ...authHeaders(), Accept: 'application/json' },
      cache: 'no-store',
    });
    data = await readJson(res);
  } catch {
    res = null;
  }
  if (res && finalRefusal(res.status)) {
    view = null;
    root.replaceChildren(
      el('p', {
        text:
          res.status === 404
            ? 'Vi finner ikke denne saken. Sjekk lenken, eller ta kontakt med kommunen.'
            : res.status === 401
              ? 'Du må logge inn for å se saken. Gå til kommunens familieside og logg inn.'
              : (data?.error?.nb ?? 'Du har ikke tilgang til denne saken.'),
      }),
    );
    return;
  }
  if (!res || !res.ok) {
    // Busy, rate-limited or offline for a moment: keep what is on screen and read again soon,
    // so a page left open never stays silently behind the case.
    if (!view) root.replaceChildren(el('p', { text: 'Vi får ikke hentet saken akkurat nå.' }));
    say('Vi får ikke hentet saken akkurat nå. Vi prøver igjen om litt.');
    const asked = Number(res?.headers.get('Retry-After')) * 1000 || 0;
    retryDelay = Math.min(Math.max(retryDelay * 2, 2000, asked), 30000);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => void reload(), retryDelay);
    return;
  }
  const failedBefore = retryDelay > 0;
  retryDelay = 0;
  const before = view;
  view = data;
  draw();
  if (!following) {
    following = true;
    void follow();
  }
  if (before && before.step.title !== view.step.title)
    say(`Saken er oppdatert: ${view.step.title}`);
  else if (failedBefore) say('Saken er hentet på nytt.');
}

let next = null;

/**
 * Reads the view. The promise settles after a read that started after the call: asked while a
 * read is under way, it reads once more after it (however many asked meanwhile).
 */
function reload() {
  if (!loading) {
    loading = load().finally(() => {
      loading = null;
    });
    return loading;
  }
  next ??= loading.then(() => {
    next = null;
    return reload();
  });
  return next;
}

function post(type) {
  return fetch(`${base}/events`, {
    method: 'POST',
    headers: { ...authHeaders(), 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ type, expectedRevision: view.revision }),
  });
}

/** True while the case as last read still offers `type` as one of the family's consent events. */
function stillOffered(type) {
  return view?.consents.some((c) => c.giveEvent === type || c.withdrawEvent === type) ?? false;
}

/** Sends a consent event; the answer is null, or the bokmål sentence to show. */
async function send(type) {
  let res;
  try {
    res = await post(type);
    // A consent is the family's own choice, not a reaction to what staff did meanwhile: when the
    // case moved on but still offers the same choice, it is sent again against the new revision.
    if (res.status === 409) {
      await reload();
      if (stillOffered(type)) res = await post(type);
    }
  } catch {
    await reload();
    return 'Vi fikk ikke kontakt. Sjekk nettet og prøv igjen.';
  }
  const data = await readJson(res);
  // Redrawn either way: after a refusal too, the page shows the case as it now is.
  await reload();
  if (res.ok) return null;
  if (res.status === 409) return 'Saken ble endret mens du så på den. Se over og prøv igjen.';
  return data?.error?.nb ?? 'Det gikk ikke. Prøv igjen om litt.';
}

/** The family's right of access (#19): everything held about the case, as a document to keep. */
function copyBlock() {
  const status = el('p', { role: 'status' });
  const button = el('button', { type: 'button', text: 'Last ned en kopi av saken' });
  button.addEventListener('click', async () => {
    status.textContent = 'Lager kopien …';
    try {
      const res = await fetch(`${base}/export.html`, { headers: authHeaders(), cache: 'no-store' });
      if (!res.ok) {
        status.textContent =
          (await readJson(res))?.error?.nb ?? 'Det gikk ikke. Prøv igjen om litt.';
        return;
      }
      const url = URL.createObjectURL(await res.blob());
      const a = el('a', { href: url, download: `sak-${caseId}.html` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      status.textContent = 'Kopien er lastet ned.';
    } catch {
      status.textContent = 'Det gikk ikke. Prøv igjen om litt.';
    }
  });
  return section(
    'kopi',
    'Kopi av saken',
    el('p', {
      text: 'Dere har rett til å se alt kommunen har registrert om saken. Kopien er et dokument dere kan lese, skrive ut og ta vare på.',
    }),
    button,
    status,
  );
}

function section(id, title, ...content) {
  return el('section', { 'aria-labelledby': id }, el('h2', { id, text: title }), ...content);
}

/** Withdrawals the family has started confirming: a live redraw must not close the question. */
const confirming = new Set();

function consentBlock(c, i) {
  const headingId = `samtykke-${i}`;
  const status =
    c.state === 'given'
      ? `Gitt av ${c.givenBy} ${c.givenAt.text}.${c.expiresAt ? ` Gjelder til ${c.expiresAt.text}.` : ''}`
      : c.state === 'withdrawn'
        ? `Trukket ${c.withdrawnAt.text}.`
        : c.state === 'expired'
          ? `Gikk ut ${c.expiresAt.text}.`
          : 'Ikke gitt.';
  const out = el(
    'div',
    { class: 'consent' },
    el('h3', { id: headingId, text: c.title }),
    c.text ? el('p', { text: c.text }) : null,
    el('p', { class: `consent-state ${c.state}`, text: status }),
  );
  if (c.giveEvent) {
    const box = el('input', { type: 'checkbox', id: `les-${i}`, required: true });
    const form = el(
      'form',
      { class: 'give', 'aria-labelledby': headingId },
      el(
        'p',
        { class: 'check' },
        box,
        el('label', { for: `les-${i}`, text: 'Jeg har lest dette og samtykker.' }),
      ),
      el('button', { type: 'submit', text: 'Gi samtykke' }),
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      form.querySelector('button').disabled = true;
      const error = await send(c.giveEvent);
      // The page may have been redrawn meanwhile: say it where it stays.
      say(error ?? 'Samtykket er gitt.');
    });
    out.append(form);
  }
  if (c.withdrawEvent) {
    const confirm = el(
      'div',
      { class: 'confirm', hidden: true },
      el('p', {
        text: 'Vil du trekke samtykket? Tjenestene kan da ikke lenger dele opplysninger.',
      }),
    );
    const ask = el('button', { type: 'button', class: 'secondary', text: 'Trekk samtykket' });
    const yes = el('button', { type: 'button', text: 'Ja, trekk samtykket' });
    const no = el('button', { type: 'button', class: 'secondary', text: 'Avbryt' });
    confirm.append(yes, no);
    if (confirming.has(c.withdrawEvent)) {
      confirm.hidden = false;
      ask.hidden = true;
    }
    ask.addEventListener('click', () => {
      confirming.add(c.withdrawEvent);
      confirm.hidden = false;
      ask.hidden = true;
      yes.focus();
    });
    no.addEventListener('click', () => {
      confirming.delete(c.withdrawEvent);
      confirm.hidden = true;
      ask.hidden = false;
      ask.focus();
    });
    yes.addEventListener('click', async () => {
      confirming.delete(c.withdrawEvent);
      yes.disabled = true;
      const error = await send(c.withdrawEvent);
      say(error ?? 'Samtykket er trukket.');
    });
    out.append(ask, confirm);
  }
  return out;
}

/** Whether the family has started confirming a request to reopen (kept over live redraws). */
let confirmingReopen = false;

/** Asks to reopen the closed case; the answer is null, or the bokmål sentence to show. */
async function requestReopen() {
  const ask = () =>
    fetch(`${base}/reopen-request`, {
      method: 'POST',
      headers: { ...authHeaders(), 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ expectedRevision: view.revision }),
    });
  let res;
  try {
    res = await ask();
    // The family's own wish, as with a consent: asked again on the case as it now is.
    if (res.status === 409) {
      await reload();
      if (view?.mayRequestReopen) res = await ask();
    }
  } catch {
    await reload();
    return 'Vi fikk ikke kontakt. Sjekk nettet og prøv igjen.';
  }
  const data = await readJson(res);
  await reload();
  if (res.ok) return null;
  return data?.error?.nb ?? 'Det gikk ikke. Prøv igjen om litt.';
}

/** The short way back: until when, the family's request and its answer, and the button. */
function reopenBlock(v) {
  const r = v.reopenRequest;
  if (!v.reopenUntil && !r) return null;
  const lines = [];
  if (r?.state === 'sent')
    lines.push(
      el('p', {
        class: 'reopen-state',
        text: `Dere ba om å åpne saken igjen ${r.at.text}. ${r.decider} avgjør om den skal åpnes, og tar kontakt med dere.`,
      }),
    );
  else if (r?.state === 'declined')
    lines.push(
      el('p', {
        class: 'reopen-state',
        text: `Dere ba om å åpne saken igjen ${r.at.text}. ${r.decider} har vurdert det og kom til at saken ikke åpnes nå (${r.declinedAt.text}).`,
      }),
    );
  if (v.reopenUntil && r?.state !== 'sent')
    lines.push(
      el('p', {
        text: `Fram til ${v.reopenUntil.text} kan dere be om at saken åpnes igjen. Den som hadde saken sist, avgjør det.`,
      }),
    );
  if (v.mayRequestReopen) {
    const ask = el('button', { type: 'button', text: 'Be om å åpne saken igjen' });
    const yes = el('button', { type: 'button', text: 'Ja, be om å åpne saken' });
    const no = el('button', { type: 'button', class: 'secondary', text: 'Avbryt' });
    const confirm = el(
      'div',
      { class: 'confirm', hidden: !confirmingReopen },
      el('p', {
        text: 'Vil du be om at saken åpnes igjen? Den som hadde saken sist, får beskjed og avgjør det.',
      }),
      yes,
      no,
    );
    ask.hidden = confirmingReopen;
    ask.addEventListener('click', () => {
      confirmingReopen = true;
      confirm.hidden = false;
      ask.hidden = true;
      yes.focus();
    });
    no.addEventListener('click', () => {
      confirmingReopen = false;
      confirm.hidden = true;
      ask.hidden = false;
      ask.focus();
    });
    yes.addEventListener('click', async () => {
      confirmingReopen = false;
      yes.disabled = true;
      const error = await requestReopen();
      say(error ?? 'Forespørselen er sendt.');
    });
    lines.push(ask, confirm);
  }
  return section('tilbake', 'Trenger dere hjelp igjen?', lines);
}

function contactBlock(contact) {
  if (!contact) return null;
  return el(
    'div',
    { class: 'contact' },
    el('h3', { text: 'Slik når dere dem' }),
    el('p', {}, el('strong', { text: contact.name })),
    contact.text ? el('p', { text: contact.text }) : null,
    contact.phone
      ? el(
          'p',
          {},
          'Telefon: ',
          el('a', { href: `tel:${contact.phone.replace(/[^+0-9]/g, '')}`, text: contact.phone }),
        )
      : null,
    contact.email
      ? el('p', {}, 'E-post: ', el('a', { href: `mailto:${contact.email}`, text: contact.email }))
      : null,
    contact.url ? el('p', {}, el('a', { href: contact.url, text: contact.url })) : null,
  );
}

function draw() {
  const v = view;
  document.getElementById('tjeneste').textContent = v.kommune;
  document.title = `${v.step.title} – Saken din`;
  const parts = [
    section(
      'na',
      'Hvor saken er nå',
      el('p', { class: 'step-title', text: v.step.title }),
      v.step.text ? el('p', { class: 'step-text', text: v.step.text }) : null,
    ),
  ];
  if (v.open)
    parts.push(
      section(
        'videre',
        'Hva skjer videre',
        v.upcoming.length > 0
          ? el(
              'ul',
              {},
              v.upcoming.map((u) =>
                el('li', {}, `${u.label}: `, el('time', { datetime: u.due.at, text: u.due.text })),
              ),
            )
          : el('p', { text: 'Ingen datoer er satt ennå. Du får beskjed når noe er bestemt.' }),
      ),
    );
  parts.push(
    section(
      'ansvar',
      'Hvem har ansvaret',
      v.holder
        ? el('p', {
            text: v.holder.you
              ? 'Du har ansvaret for saken.'
              : `${v.holder.role} har ansvaret for saken (stafettholder) siden ${v.holder.since.text}.`,
          })
        : el('p', { text: 'Ingen har tatt saken ennå.' }),
      contactBlock(v.contact),
    ),
    section(
      'team',
      'Hvem er med',
      v.team.length > 0
        ? el(
            'ul',
            {},
            v.team.map((m) => el('li', { text: m.you ? `${m.role} (deg)` : m.role })),
          )
        : el('p', { text: 'Ingen andre er med i saken ennå.' }),
    ),
  );
  if (v.consents.length > 0)
    parts.push(section('samtykke', 'Samtykke', v.consents.map(consentBlock)));
  parts.push(
    section(
      'logg',
      'Hva har skjedd',
      v.log.length > 0
        ? el(
            'ol',
            { class: 'log' },
            v.log.map((l) =>
              el('li', {}, el('time', { datetime: l.at.at, text: l.at.text }), ' ', l.text),
            ),
          )
        : el('p', { text: 'Ingenting ennå.' }),
    ),
  );
  parts.push(
    section(
      'lest',
      'Hvem har sett saken',
      v.readBy.length > 0
        ? el(
            'ul',
            { class: 'log' },
            v.readBy.map((r) =>
              el(
                'li',
                {},
                el('time', { datetime: r.at.at, text: r.at.text }),
                ' ',
                r.name ? `${r.name}, ${r.role}` : r.role,
              ),
            ),
          )
        : el('p', { text: 'Ingen ansatte har sett saken ennå.' }),
    ),
  );
  parts.push(copyBlock());
  const back = reopenBlock(v);
  if (back) parts.push(back);
  root.replaceChildren(...parts);
}

/** Server-sent events over fetch (EventSource cannot send a header); each snapshot means "reload". */
async function follow() {
  let delay = 1000;
  for (;;) {
    try {
      const res = await fetch(`${base}/stream`, {
        // The revision on screen: the stream skips its first snapshot when nothing moved since.
        headers: {
          ...authHeaders(),
          Accept: 'text/event-stream',
          ...(view ? { 'Last-Event-ID': String(view.revision) } : {}),
        },
        cache: 'no-store',
      });
      if (res.status === 404 || res.status === 401 || res.status === 403) return;
      if (!res.ok || !res.body) throw new Error(String(res.status));
      delay = 1000;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (/^event: snapshot$/m.test(block)) void reload();
          if (/^event: gone$/m.test(block)) return;
        }
      }
    } catch {
      // The connection dropped: try again, a little later each time.
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 15000);
  }
}

void reload();
