/**
 * The variables a message template may use, `{{name}}` in a template's title or body: what each
 * is and where its value comes from. One table, so validation (config/check-templates.ts), the
 * renderers (machines/message-render.ts) and the config reference agree on the same names.
 *
 * Two kinds: `workflow` variables are non-personal facts of the case and its config, filled in
 * when the case makes the message; `delivery` variables are filled by the delivery activity just
 * before sending, because they are personal (a name from the staff directory) or made there (a
 * single-use link). A name never enters Temporal's history.
 *
 * @module
 */

export interface MessageVariable {
  /** Who fills it: the workflow from the case, or the delivery activity when sending. */
  filledAt: 'workflow' | 'delivery';
  /** Only in templates sent by `sendFeedbackLink` or `sendSurvey`. */
  linkOnly?: true;
  /** A fact of a case: not in a partner survey's invitation, which belongs to no case. */
  caseOnly?: true;
  /** What it is, in bokmål, for the process owner. */
  nb: string;
  /** What it becomes, as an example. */
  example: string;
}

export const MessageVariables = {
  kommune: {
    filledAt: 'workflow',
    nb: 'Kommunens navn, slik det står i «name».',
    example: 'Lørenskog kommune',
  },
  saksnummer: {
    filledAt: 'workflow',
    caseOnly: true,
    nb: 'Sakens id. Inneholder ingen personopplysninger.',
    example: 'c-3f2a9',
  },
  steg: {
    filledAt: 'workflow',
    caseOnly: true,
    nb: 'Tittelen på steget saken er i når meldingen lages.',
    example: 'Samarbeidsmøte med handlingsnettverket',
  },
  niva: {
    filledAt: 'workflow',
    caseOnly: true,
    nb: 'BTI-nivået saken er på.',
    example: 'nivå 2',
  },
  frist: {
    filledAt: 'workflow',
    caseOnly: true,
    nb: 'Sakens neste frist (frist, dato, møte eller lengste varighet, ikke påminnelser) som dato på norsk (norsk tid). Har saken ingen frist, står det «ingen fastsatt frist».',
    example: '4. desember 2026',
  },
  lenke: {
    filledAt: 'delivery',
    linkOnly: true,
    nb: 'Lenken til det anonyme tilbakemeldingsskjemaet eller spørreundersøkelsen. Bare i maler som sendes med «sendFeedbackLink» eller «sendSurvey».',
    example: 'https://sluse.lorenskog.kommune.no/tilbakemelding/8c1…',
  },
  stafettholder: {
    filledAt: 'delivery',
    caseOnly: true,
    nb: 'Navnet på den som har stafettpinnen i saken, fra ansattkatalogen. Det er en personopplysning, så det fylles inn først når meldingen sendes.',
    example: 'Kari Nordmann',
  },
} as const satisfies Record<string, MessageVariable>;

export type MessageVariableName = keyof typeof MessageVariables;

export const MessageVariableNames = Object.keys(MessageVariables) as MessageVariableName[];

/** The variables the delivery activity fills (personal, or made when sending). */
export const DeliveryVariables = MessageVariableNames.filter(
  (name) => MessageVariables[name].filledAt === 'delivery',
) as DeliveryVariable[];
export type DeliveryVariable = {
  [K in MessageVariableName]: (typeof MessageVariables)[K]['filledAt'] extends 'delivery'
    ? K
    : never;
}[MessageVariableName];

/**
 * The English names used before this table. Validation suggests the new name for them; the
 * renderer still fills them, because cases already running keep the config snapshot they
 * started on.
 */
export const FormerVariableNames: Readonly<Record<string, MessageVariableName>> = {
  caseId: 'saksnummer',
  step: 'steg',
  level: 'niva',
  dueAt: 'frist',
  link: 'lenke',
};

export function isMessageVariable(name: string): name is MessageVariableName {
  return Object.hasOwn(MessageVariables, name);
}

/** A `{{ name }}` placeholder; spaces inside the braces are allowed. */
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

export interface Placeholder {
  /** The name as written, trimmed (may be empty or unknown). */
  name: string;
  /** The placeholder as written, braces included. */
  text: string;
  index: number;
}

/** Every `{{…}}` in a text, in order. */
export function placeholdersIn(text: string): Placeholder[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => ({
    name: m[1],
    text: m[0],
    index: m.index,
  }));
}

/**
 * Replaces each placeholder by `valueOf(name)`, or leaves it as written when that is undefined.
 * One pass: a value is never scanned again, so a value cannot smuggle in a placeholder.
 */
export function replacePlaceholders(
  text: string,
  valueOf: (name: string) => string | undefined,
): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => valueOf(name) ?? whole);
}

/** Where a text still holds `{{` once every well-formed placeholder is taken out: an unclosed one. */
export function strayBraces(text: string): number | undefined {
  const at = text.replace(PLACEHOLDER, (whole) => ' '.repeat(whole.length)).indexOf('{{');
  return at < 0 ? undefined : at;
}
