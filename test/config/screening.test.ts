/**
 * The online self-assessment in the kommune config (#13): a screening is accepted or refused at
 * the JSON path a process owner edits, with a stable code and bokmål; the scoring function gives
 * each complete set of answers its result band and refuses anything else; the seeds' screenings
 * are valid and give every age band a result that recommends a talk.
 */
import { loadConfigDir, scoreScreening, validateConfig, type ScreeningDef } from '../../config';
import { minimalConfig } from './helpers/fixtures';

const options = () => [
  { id: 'nei', label: 'Nei', weight: 0 },
  { id: 'ja', label: 'Ja', weight: 2 },
];
const result = (id: string, minScore: number, maxScore: number, recommendTalk = false) => ({
  id,
  minScore,
  maxScore,
  title: `Resultat ${id}`,
  meaning: 'Hva det betyr.',
  whatYouCanDo: 'Hva dere kan gjøre.',
  recommendTalk,
});

function screening(): ScreeningDef {
  return {
    title: 'Hvordan har barnet ditt det?',
    intro: 'Svarene lagres ikke.',
    ageBands: [
      {
        id: 'sma',
        title: 'Barn 0–5 år',
        minAge: 0,
        maxAge: 5,
        questions: [
          { id: 'sovn', text: 'Sover barnet dårlig?', options: options() },
          { id: 'lek', text: 'Strever barnet med lek?', options: options() },
        ],
        results: [
          {
            ...result('lav', 0, 1),
            offers: [{ name: 'Helsestasjonen', text: 'Gratis.', link: 'https://example.no/hs' }],
          },
          result('hoy', 2, 4, true),
        ],
      },
      {
        id: 'store',
        title: 'Barn 6–12 år',
        minAge: 6,
        maxAge: 12,
        questions: [{ id: 'skole', text: 'Vil barnet ikke på skolen?', options: options() }],
        results: [result('lav', 0, 0), result('hoy', 1, 2, true)],
      },
    ],
  };
}

function errorsOf(edit: (s: ScreeningDef) => void) {
  const config = { ...minimalConfig(), screening: screening() };
  edit(config.screening);
  const validated = validateConfig(config);
  return validated.ok ? [] : validated.errors.map(({ code, path, nb }) => ({ code, path, nb }));
}

describe('screening in the config', () => {
  it('when a screening has age bands, questions, weights and result bands covering every score, then the config is valid', () => {
    expect(errorsOf(() => {})).toEqual([]);
  });

  it.each([
    [
      'an answer weighs "2" (text)',
      'SCHEMA_TYPE',
      '/screening/ageBands/0/questions/1/options/1/weight',
      (s: ScreeningDef) =>
        ((s.ageBands[0].questions[1].options[1] as { weight: unknown }).weight = '2'),
    ],
    [
      'a question text is longer than a family can read at a glance',
      'SCHEMA_MAX_LENGTH',
      '/screening/ageBands/0/questions/0/text',
      (s: ScreeningDef) => (s.ageBands[0].questions[0].text = 'x'.repeat(201)),
    ],
    [
      'a question has nine answers',
      'SCHEMA_MAX_ITEMS',
      '/screening/ageBands/1/questions/0/options',
      (s: ScreeningDef) =>
        (s.ageBands[1].questions[0].options = Array.from({ length: 9 }, (_, i) => ({
          id: `o${i}`,
          label: `Svar ${i}`,
          weight: i,
        }))),
    ],
    [
      "an offer's link is not https",
      'LINK_NOT_HTTPS',
      '/screening/ageBands/0/results/0/offers/0/link',
      (s: ScreeningDef) => (s.ageBands[0].results[0].offers![0].link = 'http://example.no'),
    ],
    [
      'a result says nothing about talking',
      'SCHEMA_REQUIRED',
      '/screening/ageBands/0/results/1/recommendTalk',
      (s: ScreeningDef) =>
        delete (s.ageBands[0].results[1] as { recommendTalk?: boolean }).recommendTalk,
    ],
    [
      'two questions of an age band share an id',
      'SCREENING_DUPLICATE_ID',
      '/screening/ageBands/0/questions/1/id',
      (s: ScreeningDef) => (s.ageBands[0].questions[1].id = 'sovn'),
    ],
    [
      'two answers of a question share an id',
      'SCREENING_DUPLICATE_ID',
      '/screening/ageBands/0/questions/0/options/1/id',
      (s: ScreeningDef) => (s.ageBands[0].questions[0].options[1].id = 'nei'),
    ],
    [
      'two age bands share an id',
      'SCREENING_DUPLICATE_ID',
      '/screening/ageBands/1/id',
      (s: ScreeningDef) => (s.ageBands[1].id = 'sma'),
    ],
    [
      'two age bands both include 5 years',
      'SCREENING_AGE_BANDS_OVERLAP',
      '/screening/ageBands/1/minAge',
      (s: ScreeningDef) => (s.ageBands[1].minAge = 5),
    ],
    [
      'an age band ends before it starts',
      'SCREENING_AGE_RANGE_EMPTY',
      '/screening/ageBands/1/maxAge',
      (s: ScreeningDef) => (s.ageBands[1].maxAge = 4),
    ],
    [
      'no result covers the scores 2–3',
      'SCREENING_RESULTS_GAP',
      '/screening/ageBands/0/results/1/minScore',
      (s: ScreeningDef) => (s.ageBands[0].results[1].minScore = 4),
    ],
    [
      'the highest result stops below the highest possible score',
      'SCREENING_RESULTS_GAP',
      '/screening/ageBands/0/results/1/maxScore',
      (s: ScreeningDef) => (s.ageBands[0].results[1].maxScore = 3),
    ],
    [
      'two results both cover the score 1',
      'SCREENING_RESULTS_OVERLAP',
      '/screening/ageBands/0/results/1/minScore',
      (s: ScreeningDef) => (s.ageBands[0].results[1].minScore = 1),
    ],
    [
      'a result ends before it starts',
      'SCREENING_SCORE_RANGE_EMPTY',
      '/screening/ageBands/1/results/1/maxScore',
      (s: ScreeningDef) => (s.ageBands[1].results[1].maxScore = 0),
    ],
  ])('when %s, then it is refused with %s at %s', (_what, code, path, edit) => {
    const errors = errorsOf(edit);
    expect(errors).toContainEqual(expect.objectContaining({ code, path }));
    for (const e of errors) expect(e.nb.trim()).not.toBe('');
  });

  it('the bokmål of a gap says which scores have no result and what the questions can give', () => {
    expect(errorsOf((s) => (s.ageBands[0].results[1].minScore = 4))).toEqual([
      {
        code: 'SCREENING_RESULTS_GAP',
        path: '/screening/ageBands/0/results/1/minScore',
        nb: 'I aldersgruppen «Barn 0–5 år» hører poengsummene 2–3 ikke til noe resultat. Spørsmålene kan gi fra 0 til 4 poeng, og hver poengsum må ha et resultat.',
      },
    ]);
  });
});

describe('scoring a screening', () => {
  const s = screening();

  it('when every question is answered, then the score is the sum of the weights and picks its result band', () => {
    const low = scoreScreening(s, 'sma', { sovn: 'nei', lek: 'nei' });
    const high = scoreScreening(s, 'sma', { sovn: 'ja', lek: 'ja' });
    expect(low).toMatchObject({ ok: true, score: 0, result: { id: 'lav', recommendTalk: false } });
    expect(high).toMatchObject({ ok: true, score: 4, result: { id: 'hoy', recommendTalk: true } });
    expect(scoreScreening(s, 'store', { skole: 'ja' })).toMatchObject({
      ok: true,
      score: 2,
      ageBand: { id: 'store' },
      result: { id: 'hoy' },
    });
  });

  it('when an answer is missing, a question or an answer is unknown, or the age band is unknown, then no result is given and each error says which', () => {
    const scored = scoreScreening(s, 'sma', { sovn: 'kanskje', skole: 'ja' });
    expect(scored.ok).toBe(false);
    expect(scored.ok ? [] : scored.errors.map((e) => [e.code, e.questionId])).toEqual([
      ['UNKNOWN_QUESTION', 'skole'],
      ['UNKNOWN_OPTION', 'sovn'],
      ['MISSING_ANSWER', 'lek'],
    ]);
    const unknownBand = scoreScreening(s, 'voksne', {});
    expect(unknownBand).toEqual({
      ok: false,
      errors: [
        expect.objectContaining({
          code: 'UNKNOWN_AGE_BAND',
          nb: 'Velg alderen til barnet på nytt.',
        }),
      ],
    });
    // Own properties only: "toString" is no question.
    expect(scoreScreening(s, 'store', { toString: 'ja' } as never).ok).toBe(false);
  });

  it("the seeds' screenings: Øygarden differentiates 0–5, 6–12 and 13–18, and in every age band all-worry answers recommend a talk while no-worry answers do not", () => {
    const { configs } = loadConfigDir();
    const oygarden = configs.get('oygarden')!.screening!;
    expect(oygarden.ageBands.map((b) => [b.minAge, b.maxAge])).toEqual([
      [0, 5],
      [6, 12],
      [13, 18],
    ]);
    for (const id of ['oygarden', 'lorenskog']) {
      for (const band of configs.get(id)!.screening!.ageBands) {
        const answer = (pick: 0 | -1) =>
          Object.fromEntries(band.questions.map((q) => [q.id, q.options.at(pick)!.id]));
        const none = scoreScreening(configs.get(id)!.screening!, band.id, answer(0));
        const all = scoreScreening(configs.get(id)!.screening!, band.id, answer(-1));
        expect([id, band.id, none.ok && none.result.recommendTalk]).toEqual([id, band.id, false]);
        expect([id, band.id, all.ok && all.result.recommendTalk]).toEqual([id, band.id, true]);
        expect(none.ok && none.result.offers?.length).toBeGreaterThan(0);
      }
    }
  });
});
