/**
 * The feedback form behind a single-use link (#14): `GET /tilbakemelding/{token}` shows the
 * survey the link was sent for, `POST` stores the answer anonymously and thanks. Server-rendered
 * HTML that works without JavaScript, under the family pages' strict CSP.
 *
 * The token is the capability, so no sign-in and no CSRF token. A link that was answered, has
 * expired or never existed gets the same page and status, so tokens cannot be probed; each IP
 * has a request budget. The answer is checked against the survey before anything is stored.
 *
 * @module
 */
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import type { KommuneConfig, SurveyDef, SurveyQuestion } from '../../config/types';
import type { FeedbackAnswerInput, FeedbackStore } from '../../store/feedback-store';
import type { Logger } from '../../runtime/logger';
import { FEEDBACK_TOKEN } from '../../activities/feedback-link';
import type { ConfigSource } from '../config-source';
import { escapeHtml } from '../html';
import { plainPageSender, type PlainPage } from './plain-page';

export interface FeedbackPagesDeps {
  configs: ConfigSource;
  store: Pick<FeedbackStore, 'lookup' | 'answer'>;
  logger: Logger;
  /** Requests per IP and window, GET and POST together. */
  rateLimit: { limit: number; windowMs: number };
}

/** 20 questions, free texts of at most 2000 characters, percent-encoded: well under this. */
export const FEEDBACK_BODY_LIMIT_BYTES = 128 * 1024;
/** One field per question (at most 20), and a margin. */
export const FEEDBACK_MAX_FIELDS = 30;
/** A free text's longest answer when the survey names none. */
export const DEFAULT_TEXT_MAX_LENGTH = 1000;

const FIELD_PREFIX = 'q.';

const STYLE = `
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font:1.125rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#f6f5f2}
header{background:#0b3d5c;color:#fff;padding:.75rem 1rem}
header p{margin:0;font-size:1rem}
main{max-width:40rem;margin:0 auto;padding:1rem 1rem 3rem}
h1{font-size:1.75rem;line-height:1.25;margin:1rem 0}
h2{font-size:1.3rem;margin:1.75rem 0 .5rem}
a{color:#0b4f7a}
a:focus,button:focus,input:focus,textarea:focus{outline:3px solid #d4651a;outline-offset:2px}
button{display:block;width:100%;font:inherit;font-weight:600;padding:.85rem 1rem;margin:1rem 0;border-radius:.4rem;border:2px solid #0b3d5c;background:#0b3d5c;color:#fff;cursor:pointer}
fieldset{border:0;border-top:1px solid #c9c6bf;margin:0;padding:1rem 0}
legend{font-weight:600;padding:0;float:left;width:100%;margin-bottom:.5rem}
.svar{clear:both}
.svar label{display:flex;gap:.75rem;align-items:center;padding:.6rem .75rem;margin:.35rem 0;background:#fff;border:1px solid #8a877f;border-radius:.4rem}
.svar input{width:1.4rem;height:1.4rem;margin:0;flex:none}
.tekst label{display:block;font-weight:600;margin-bottom:.5rem}
textarea{display:block;width:100%;min-height:8rem;font:inherit;padding:.5rem;border:1px solid #8a877f;border-radius:.4rem}
p.hjelp{margin:0 0 .5rem;color:#444;font-size:1rem}
fieldset[aria-invalid=true] .svar label,textarea[aria-invalid=true]{border-color:#b3261e}
.feil{border:3px solid #b3261e;background:#fff;padding:.5rem 1rem;margin:1rem 0}
.feil h2{margin-top:.25rem}
.feilmelding{clear:both;color:#b3261e;font-weight:600;margin:0 0 .25rem}
@media (min-width:48rem){button{display:inline-block;width:auto;min-width:16rem}}
`;

const send = plainPageSender({ style: STYLE, heading: 'Tilbakemelding', noindex: true });

/** One page for a link that was answered, has expired or never was: nothing to tell them apart. */
export const GONE_STATUS = 410;
function gone(res: express.Response): void {
  send(res, {
    status: GONE_STATUS,
    title: 'Lenken virker ikke lenger',
    body: `<h1>Lenken virker ikke lenger</h1>
<p>Denne lenken til tilbakemeldingsskjemaet kan ikke brukes. Hver lenke kan bare brukes én gang, og den virker bare en stund etter at du fikk den.</p>
<p>Har du spørsmål, ta kontakt med kommunen slik du gjorde før.</p>`,
  });
}

/** What a person wrote or chose, by question id, to show again next to an error. */
type Values = Record<string, string>;

export interface FeedbackFieldError {
  /** The question, or undefined when the form as a whole does not fit the survey. */
  questionId?: string;
  nb: string;
}

export type CheckedAnswer =
  | { ok: true; answer: FeedbackAnswerInput }
  | { ok: false; errors: FeedbackFieldError[]; values: Values };

const maxLengthOf = (q: SurveyQuestion & { type: 'text' }) =>
  q.maxLength ?? DEFAULT_TEXT_MAX_LENGTH;

/**
 * A posted form checked against the survey: a scale answer 1–5, an option the question has, a
 * text no longer than its limit, every required question answered, no field the survey lacks.
 */
export function checkFeedbackAnswer(
  survey: SurveyDef,
  body: Record<string, unknown>,
): CheckedAnswer {
  const errors: FeedbackFieldError[] = [];
  const values: Values = {};
  const byId = new Map(survey.questions.map((q) => [q.id, q]));
  for (const name of Object.keys(body)) {
    const id = name.startsWith(FIELD_PREFIX) ? name.slice(FIELD_PREFIX.length) : undefined;
    if (id === undefined || !byId.has(id)) {
      errors.push({ nb: 'Skjemaet passer ikke med spørsmålene. Svar på spørsmålene under.' });
      break;
    }
  }
  const answer: FeedbackAnswerInput = { choices: {}, texts: {} };
  for (const q of survey.questions) {
    const raw = body[`${FIELD_PREFIX}${q.id}`];
    if (raw !== undefined && typeof raw !== 'string') {
      errors.push({ questionId: q.id, nb: 'Gi ett svar på dette spørsmålet.' });
      continue;
    }
    const value = q.type === 'text' ? (raw ?? '').trim() : (raw ?? '');
    values[q.id] = value.slice(0, 2 * (q.type === 'text' ? maxLengthOf(q) : 16));
    if (value === '') {
      if (q.required) errors.push({ questionId: q.id, nb: 'Svar på dette spørsmålet.' });
      continue;
    }
    if (q.type === 'scale') {
      if (/^[1-5]$/.test(value)) answer.choices[q.id] = value;
      else errors.push({ questionId: q.id, nb: 'Velg et av de fem svarene.' });
    } else if (q.type === 'choice') {
      if (q.options.some((o) => o.id === value)) answer.choices[q.id] = value;
      else errors.push({ questionId: q.id, nb: 'Velg et av svarene.' });
    } else if (value.length > maxLengthOf(q)) {
      errors.push({
        questionId: q.id,
        nb: `Svaret er for langt. Skriv høyst ${maxLengthOf(q)} tegn (du skrev ${value.length}).`,
      });
    } else answer.texts[q.id] = value;
  }
  return errors.length > 0 ? { ok: false, errors, values } : { ok: true, answer };
}

function formPage(
  token: string,
  config: KommuneConfig,
  survey: SurveyDef,
  values: Values = {},
  errors: FeedbackFieldError[] = [],
): PlainPage {
  const errorOf = new Map(errors.filter((e) => e.questionId).map((e) => [e.questionId!, e]));
  const summary =
    errors.length === 0
      ? ''
      : `<div class="feil" role="alert" aria-labelledby="feil-tittel">
<h2 id="feil-tittel">Noe må rettes før du sender</h2>
<ul>${errors
          .map((e) =>
            e.questionId
              ? `<li><a href="#sp-${escapeHtml(e.questionId)}">${escapeHtml(e.nb)}</a></li>`
              : `<li>${escapeHtml(e.nb)}</li>`,
          )
          .join('')}</ul>
</div>`;
  const questions = survey.questions
    .map((q, i) => {
      const id = escapeHtml(q.id);
      const name = `${FIELD_PREFIX}${id}`;
      const error = errorOf.get(q.id);
      const errorLine = error
        ? `<p class="feilmelding" id="feil-${id}">${escapeHtml(error.nb)}</p>`
        : '';
      const optional = q.required ? '' : ' (frivillig)';
      const required = q.required ? ' required' : '';
      if (q.type === 'text') {
        const max = maxLengthOf(q);
        return `<div class="tekst" id="sp-${id}">
<label for="felt-${id}">${i + 1}. ${escapeHtml(q.text)}</label>
<p class="hjelp" id="hjelp-${id}">Høyst ${max} tegn. Ikke skriv navn eller andre opplysninger om noen.</p>
${errorLine}
<textarea id="felt-${id}" name="${name}" maxlength="${max}" aria-describedby="hjelp-${id}${error ? ` feil-${id}` : ''}"${
          error ? ' aria-invalid="true"' : ''
        }${required}>${escapeHtml(values[q.id] ?? '')}</textarea>
</div>`;
      }
      const options =
        q.type === 'scale'
          ? q.labels.map((label, j) => ({ id: String(j + 1), label: `${j + 1} – ${label}` }))
          : q.options;
      const radios = options
        .map(
          (o) =>
            `<label><input type="radio" name="${name}" value="${escapeHtml(o.id)}"${required}${
              values[q.id] === o.id ? ' checked' : ''
            }> ${escapeHtml(o.label)}</label>`,
        )
        .join('\n');
      return `<fieldset id="sp-${id}"${error ? ` aria-describedby="feil-${id}" aria-invalid="true"` : ''}>
<legend>${i + 1}. ${escapeHtml(q.text)}${optional}</legend>
${errorLine}
<div class="svar">
${radios}
</div>
</fieldset>`;
    })
    .join('\n');
  return {
    status: errors.length === 0 ? 200 : 422,
    title: `${errors.length === 0 ? '' : 'Feil: '}${survey.title} – ${config.name}`,
    kommuneName: config.name,
    body: `<h1>${escapeHtml(survey.title)}</h1>
<p>${escapeHtml(survey.intro)}</p>
${summary}
<form method="post" action="/tilbakemelding/${escapeHtml(token)}">
${questions}
<button type="submit">Send svarene</button>
</form>`,
  };
}

function thanksPage(config: KommuneConfig): PlainPage {
  return {
    status: 200,
    title: `Takk for svaret – ${config.name}`,
    kommuneName: config.name,
    body: `<h1>Takk for svaret</h1>
<p>Svarene dine er lagret uten navn og uten kobling til saken. De hjelper oss å bli bedre.</p>
<p>Lenken kan ikke brukes igjen. Du kan lukke denne siden.</p>`,
  };
}

/** The open link's kommune config and survey, or undefined (answered, expired, unknown, or the survey was removed). */
async function openLink(deps: FeedbackPagesDeps, token: string) {
  if (!FEEDBACK_TOKEN.test(token)) return undefined;
  const link = await deps.store.lookup(token);
  if (link.state !== 'open') return undefined;
  const config = (await deps.configs.current(link.kommune))?.config;
  const surveys = config?.surveys;
  const survey = surveys && Object.hasOwn(surveys, link.survey) ? surveys[link.survey] : undefined;
  return config && survey ? { config, survey } : undefined;
}

export function createFeedbackRouter(deps: FeedbackPagesDeps): express.Router {
  const router = express.Router();
  router.use(
    rateLimit({
      windowMs: deps.rateLimit.windowMs,
      limit: deps.rateLimit.limit,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      handler: (_req, res) =>
        send(res, {
          status: 429,
          title: 'For mange forsøk',
          body: '<h1>For mange forsøk</h1>\n<p>Vent et minutt og prøv igjen. Ingen svar er lagret.</p>',
        }),
    }),
  );

  router.get('/:token', async (req, res, next) => {
    try {
      const open = await openLink(deps, req.params.token);
      if (!open) return gone(res);
      send(res, formPage(req.params.token, open.config, open.survey));
    } catch (err) {
      next(err);
    }
  });

  router.post(
    '/:token',
    express.urlencoded({
      extended: false,
      limit: FEEDBACK_BODY_LIMIT_BYTES,
      parameterLimit: FEEDBACK_MAX_FIELDS,
    }),
    async (req, res, next) => {
      try {
        const { token } = req.params;
        const open = await openLink(deps, token);
        if (!open) return gone(res);
        const checked = checkFeedbackAnswer(
          open.survey,
          (req.body ?? {}) as Record<string, unknown>,
        );
        if (!checked.ok)
          return send(
            res,
            formPage(token, open.config, open.survey, checked.values, checked.errors),
          );
        // Marks the link used and stores the answer in one transaction; a second answer loses.
        const stored = await deps.store.answer(token, checked.answer);
        if (stored.state !== 'answered') return gone(res);
        send(res, thanksPage(open.config));
      } catch (err) {
        next(err);
      }
    },
  );

  // The body reader's refusals (too large, too many fields) and anything unforeseen, as a page
  // in bokmål; never a stack trace, never the token in a log.
  router.use(
    (
      err: { status?: number },
      _req: express.Request,
      res: express.Response,
      _next: express.NextFunction,
    ) => {
      const status = typeof err.status === 'number' && err.status < 500 ? err.status : 500;
      if (status === 500)
        deps.logger.error(
          { err: err instanceof Error ? err.message : 'unknown' },
          'feedback page failed',
        );
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
