/**
 * The families' own door, part one (#13): the public online self-assessment at
 * `/familie/{kommune}/`. Server-rendered HTML that works without JavaScript, phone first, for
 * screen readers (one h1, fieldsets with legends, labels, an error summary that links to the
 * question), under a strict CSP with no third-party resources.
 *
 * Nothing about the visitor is kept: no cookie, no session, nothing logged but the route, and
 * answers travel in POST bodies, never in URLs. A finished screening adds one to an anonymous
 * count (kommune, month, age band, result band). The result page's "Be om en samtale" posts the
 * answers to `/familie/{kommune}/kontakt`, which the sign-in side serves.
 *
 * @module
 */
import express from 'express';
import {
  scoreScreening,
  type KommuneConfig,
  type ScreeningAgeBand,
  type ScreeningAnswerError,
  type ScreeningDef,
  type ScreeningResult,
} from '../../config';
import type { ScreeningCounts } from '../../store/screening-counts';
import type { Logger } from '../../runtime/logger';
import type { ConfigSource } from '../config-source';
import { escapeHtml } from '../html';
import { plainPageSender, type PlainPage } from './plain-page';

export interface ScreeningPagesDeps {
  configs: ConfigSource;
  counts: Pick<ScreeningCounts, 'count'>;
  logger: Logger;
}

/** The largest answer form: 30 questions with ids of 64 characters fit in well under this. */
export const SCREENING_BODY_LIMIT_BYTES = 8 * 1024;
/** Form fields: the age band, one answer per question (at most 30), and a margin. */
export const SCREENING_MAX_FIELDS = 40;

const ID = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const KOMMUNE_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const ANSWER_PREFIX = 'svar.';

const STYLE = `
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font:1.125rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#f6f5f2}
header{background:#0b3d5c;color:#fff;padding:.75rem 1rem}
header p{margin:0;font-size:1rem}
main{max-width:40rem;margin:0 auto;padding:1rem 1rem 3rem}
h1{font-size:1.75rem;line-height:1.25;margin:1rem 0}
h2{font-size:1.3rem;margin:1.75rem 0 .5rem}
h3{font-size:1.1rem;margin:0 0 .25rem}
a{color:#0b4f7a}
a:focus,button:focus,input:focus{outline:3px solid #d4651a;outline-offset:2px}
.knapp,button{display:block;width:100%;font:inherit;font-weight:600;text-align:center;text-decoration:none;padding:.85rem 1rem;margin:.5rem 0;border-radius:.4rem;border:2px solid #0b3d5c;background:#0b3d5c;color:#fff;cursor:pointer}
.knapp.lys{background:#fff;color:#0b3d5c}
ul.valg{list-style:none;padding:0;margin:0}
fieldset{border:0;border-top:1px solid #c9c6bf;margin:0;padding:1rem 0}
legend{font-weight:600;padding:0;float:left;width:100%;margin-bottom:.5rem}
fieldset>p.hjelp{clear:both;margin:0 0 .5rem;color:#444;font-size:1rem}
.svar{clear:both}
.svar label{display:flex;gap:.75rem;align-items:center;padding:.6rem .75rem;margin:.35rem 0;background:#fff;border:1px solid #8a877f;border-radius:.4rem}
.svar input{width:1.4rem;height:1.4rem;margin:0;flex:none}
fieldset[aria-invalid=true] .svar label{border-color:#b3261e}
.feil{border:3px solid #b3261e;background:#fff;padding:.5rem 1rem;margin:1rem 0}
.feil h2{margin-top:.25rem}
.feilmelding{clear:both;color:#b3261e;font-weight:600;margin:0 0 .25rem}
.tilbud{list-style:none;padding:0}
.tilbud li{background:#fff;border-left:4px solid #0b3d5c;padding:.75rem 1rem;margin:.75rem 0}
.tilbud p{margin:.25rem 0}
.samtale{background:#fff;border:2px solid #0b3d5c;padding:.5rem 1rem 1rem;margin:1.5rem 0}
.anonym{font-size:1rem;color:#444}
@media (min-width:48rem){.knapp,button{display:inline-block;width:auto;min-width:16rem}}
`;

const send = plainPageSender({ style: STYLE, heading: 'Familiens egen inngang', images: true });

function notFound(res: express.Response, kommuneName?: string): void {
  send(res, {
    status: 404,
    title: 'Siden finnes ikke',
    kommuneName,
    body: kommuneName
      ? `<h1>Egenvurdering på nett finnes ikke her</h1>
<p>${escapeHtml(kommuneName)} har ikke egenvurdering på nett ennå. Ta kontakt med helsestasjonen, barnehagen eller skolen hvis du lurer på noe.</p>`
      : `<h1>Siden finnes ikke</h1>
<p>Vi finner ingen kommune med denne adressen. Sjekk at adressen er skrevet riktig.</p>`,
  });
}

/**
 * The not-found page of `/familie/…` in bokmål, for app.ts to place after every family router:
 * an unknown kommune falls through the screening's routes, so other family routes stay reachable.
 */
export const familyNotFound: express.RequestHandler = (_req, res) => notFound(res);

/**
 * The kommune's config and screening; undefined when no such kommune (the request goes on to
 * `familyNotFound`) or it has no screening (a 404 page naming the kommune is sent).
 */
async function screeningOf(
  deps: ScreeningPagesDeps,
  kommune: string,
  res: express.Response,
): Promise<{ config: KommuneConfig; screening: ScreeningDef } | undefined> {
  const current = KOMMUNE_ID.test(kommune) ? await deps.configs.current(kommune) : undefined;
  if (!current) return undefined;
  const { config } = current;
  if (!config.screening) {
    notFound(res, config.name);
    return undefined;
  }
  return { config, screening: config.screening };
}

const base = (kommune: string) => `/familie/${kommune}`;

function startPage(kommune: string, config: KommuneConfig, screening: ScreeningDef): PlainPage {
  const bands = screening.ageBands
    .map(
      (band) =>
        `<li><a class="knapp lys" href="${base(kommune)}/sporsmal?alder=${encodeURIComponent(band.id)}">${escapeHtml(band.title)}</a></li>`,
    )
    .join('\n');
  return {
    status: 200,
    title: `${screening.title} – ${config.name}`,
    kommuneName: config.name,
    body: `<h1>${escapeHtml(screening.title)}</h1>
<p>${escapeHtml(screening.intro)}</p>
<h2 id="alder">Hvor gammel er barnet?</h2>
<ul class="valg" aria-labelledby="alder">
${bands}
</ul>`,
  };
}

function questionsPage(
  kommune: string,
  config: KommuneConfig,
  screening: ScreeningDef,
  band: ScreeningAgeBand,
  answers: Record<string, string> = {},
  errors: ScreeningAnswerError[] = [],
): PlainPage {
  const errorOf = new Map(errors.map((e) => [e.questionId, e]));
  const summary =
    errors.length === 0
      ? ''
      : `<div class="feil" role="alert" aria-labelledby="feil-tittel">
<h2 id="feil-tittel">Noen spørsmål mangler svar</h2>
<ul>${errors
          .map(
            (e) =>
              `<li><a href="#sp-${escapeHtml(e.questionId ?? '')}">${escapeHtml(e.nb)}</a></li>`,
          )
          .join('')}</ul>
</div>`;
  const questions = band.questions
    .map((q, i) => {
      const error = errorOf.get(q.id);
      const describedBy = [q.help ? `hjelp-${q.id}` : '', error ? `feil-${q.id}` : '']
        .filter(Boolean)
        .join(' ');
      const options = q.options
        .map(
          (o) =>
            `<label><input type="radio" name="${ANSWER_PREFIX}${escapeHtml(q.id)}" value="${escapeHtml(o.id)}" required${
              answers[q.id] === o.id ? ' checked' : ''
            }> ${escapeHtml(o.label)}</label>`,
        )
        .join('\n');
      return `<fieldset id="sp-${escapeHtml(q.id)}"${describedBy ? ` aria-describedby="${escapeHtml(describedBy)}"` : ''}${
        error ? ' aria-invalid="true"' : ''
      }>
<legend>${i + 1}. ${escapeHtml(q.text)}</legend>
${q.help ? `<p class="hjelp" id="hjelp-${escapeHtml(q.id)}">${escapeHtml(q.help)}</p>` : ''}
${error ? `<p class="feilmelding" id="feil-${escapeHtml(q.id)}">${escapeHtml(error.nb)}</p>` : ''}
<div class="svar">
${options}
</div>
</fieldset>`;
    })
    .join('\n');
  return {
    status: errors.length === 0 ? 200 : 422,
    title: `${errors.length === 0 ? '' : 'Feil: '}${band.title} – ${screening.title}`,
    kommuneName: config.name,
    body: `<h1>${escapeHtml(screening.title)}</h1>
<p>${escapeHtml(band.title)}. Svar på alle ${band.questions.length} spørsmålene. Tenk på de siste ukene.</p>
${summary}
<form method="post" action="${base(kommune)}/resultat">
<input type="hidden" name="alder" value="${escapeHtml(band.id)}">
${questions}
<button type="submit">Se resultatet</button>
</form>
<p><a href="${base(kommune)}/">Velg en annen alder</a></p>`,
  };
}

function resultPage(
  kommune: string,
  config: KommuneConfig,
  band: ScreeningAgeBand,
  result: ScreeningResult,
  answers: Record<string, string>,
): PlainPage {
  const offers = (result.offers ?? [])
    .map(
      (o) => `<li>
<h3>${escapeHtml(o.name)}</h3>
<p>${escapeHtml(o.text)}</p>
${o.contact ? `<p>${escapeHtml(o.contact)}</p>` : ''}
${o.link ? `<p><a href="${escapeHtml(o.link)}">Les mer om ${escapeHtml(o.name)}</a></p>` : ''}
</li>`,
    )
    .join('\n');
  // In the questions' order, only ids the scoring accepted.
  const answersJson = JSON.stringify(
    Object.fromEntries(band.questions.map((q) => [q.id, answers[q.id]])),
  );
  const talk = result.recommendTalk
    ? `<section class="samtale" aria-labelledby="samtale">
<h2 id="samtale">Be om en samtale</h2>
<p>Du logger inn, og svarene dine sendes med, så du slipper å forklare alt på nytt. Noen fra kommunen tar kontakt med deg.</p>
<form method="post" action="${base(kommune)}/kontakt">
<input type="hidden" name="ageBand" value="${escapeHtml(band.id)}">
<input type="hidden" name="answers" value="${escapeHtml(answersJson)}">
<button type="submit">Be om en samtale</button>
</form>
</section>`
    : '';
  return {
    status: 200,
    title: `${result.title} – ${config.name}`,
    kommuneName: config.name,
    body: `<h1>${escapeHtml(result.title)}</h1>
<p>Resultat for ${escapeHtml(band.title.charAt(0).toLowerCase() + band.title.slice(1))}.</p>
<h2>Hva betyr dette?</h2>
<p>${escapeHtml(result.meaning)}</p>
<h2>Hva kan dere gjøre?</h2>
<p>${escapeHtml(result.whatYouCanDo)}</p>
${talk}
${offers ? `<h2>Hjelp du kan få</h2>\n<ul class="tilbud">\n${offers}\n</ul>` : ''}
<p><a href="${base(kommune)}/">Ta vurderingen på nytt</a></p>
<p class="anonym">Svarene dine er ikke lagret. Kommunen teller bare hvor mange som tar vurderingen.</p>`,
  };
}

function startOver(res: express.Response, kommune: string, config: KommuneConfig): void {
  send(res, {
    status: 400,
    title: `Start på nytt – ${config.name}`,
    kommuneName: config.name,
    body: `<h1>Skjemaet må fylles ut på nytt</h1>
<p>Skjemaet du sendte passer ikke med spørsmålene vi har nå. Kanskje er spørsmålene endret siden du begynte. Ingen svar er lagret.</p>
<p><a class="knapp" href="${base(kommune)}/">Start på nytt</a></p>`,
  });
}

/** The answers of a posted form: `svar.<question>` fields only, each one text. */
function answersOf(body: Record<string, unknown>): Record<string, string> | undefined {
  const answers: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (name === 'alder') continue;
    if (!name.startsWith(ANSWER_PREFIX) || typeof value !== 'string') return undefined;
    const id = name.slice(ANSWER_PREFIX.length);
    if (!ID.test(id)) return undefined;
    answers[id] = value;
  }
  return answers;
}

export function createScreeningRouter(deps: ScreeningPagesDeps): express.Router {
  const router = express.Router();
  router.get('/:kommune', async (req, res, next) => {
    try {
      const found = await screeningOf(deps, req.params.kommune, res);
      if (found) send(res, startPage(req.params.kommune, found.config, found.screening));
      else if (!res.headersSent) next();
    } catch (err) {
      next(err);
    }
  });

  router.get('/:kommune/sporsmal', async (req, res, next) => {
    try {
      const { kommune } = req.params;
      const found = await screeningOf(deps, kommune, res);
      if (!found) return res.headersSent ? undefined : next();
      const alder = req.query.alder;
      const band =
        typeof alder === 'string'
          ? found.screening.ageBands.find((b) => b.id === alder)
          : undefined;
      if (!band) {
        send(res, { ...startPage(kommune, found.config, found.screening), status: 404 });
        return;
      }
      send(res, questionsPage(kommune, found.config, found.screening, band));
    } catch (err) {
      next(err);
    }
  });

  router.post(
    '/:kommune/resultat',
    express.urlencoded({
      extended: false,
      limit: SCREENING_BODY_LIMIT_BYTES,
      parameterLimit: SCREENING_MAX_FIELDS,
    }),
    async (req, res, next) => {
      try {
        const { kommune } = req.params;
        const found = await screeningOf(deps, kommune, res);
        if (!found) return res.headersSent ? undefined : next();
        const { config, screening } = found;
        const body = (req.body ?? {}) as Record<string, unknown>;
        const answers = answersOf(body);
        const band =
          typeof body.alder === 'string'
            ? screening.ageBands.find((b) => b.id === body.alder)
            : undefined;
        if (!answers || !band) return startOver(res, kommune, config);
        const scored = scoreScreening(screening, band.id, answers);
        if (!scored.ok) {
          // Only unanswered questions can be put right on the page; anything else is a stale form.
          if (scored.errors.every((e) => e.code === 'MISSING_ANSWER')) {
            send(res, questionsPage(kommune, config, screening, band, answers, scored.errors));
            return;
          }
          return startOver(res, kommune, config);
        }
        try {
          await deps.counts.count(kommune, band.id, scored.result.id);
        } catch (err) {
          // The family gets their result even when the count cannot be written.
          deps.logger.warn(
            { kommune, err: err instanceof Error ? err.message : String(err) },
            'screening count not written',
          );
        }
        send(res, resultPage(kommune, config, band, scored.result, answers));
      } catch (err) {
        next(err);
      }
    },
  );

  // The body reader's refusals (too large, too many fields, not a form) and anything unforeseen,
  // as a page in bokmål; never a stack trace.
  router.use(
    (
      err: { status?: number; type?: string },
      _req: express.Request,
      res: express.Response,
      _next: express.NextFunction,
    ) => {
      const status = typeof err.status === 'number' && err.status < 500 ? err.status : 500;
      if (status === 500) deps.logger.error({ err }, 'screening page failed');
      send(res, {
        status,
        title: 'Noe gikk galt',
        body:
          status === 500
            ? '<h1>Noe gikk galt</h1>\n<p>Prøv igjen om litt. Ingen svar er lagret.</p>'
            : '<h1>Skjemaet kunne ikke leses</h1>\n<p>Skjemaet var for stort eller hadde feil form. Ingen svar er lagret. Gå tilbake og prøv igjen.</p>',
      });
    },
  );
  return router;
}
