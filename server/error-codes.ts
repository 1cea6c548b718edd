/**
 * Every error code the API answers with, and its HTTP status: the one table. Codes are stable;
 * clients branch on them, never on messages.
 *
 * @module
 */
export const ErrorStatus = {
  /** The body is not JSON. */
  MALFORMED_JSON: 400,
  /** The body is not valid UTF-8. */
  INVALID_UTF8: 400,
  /** The body nests objects and arrays deeper than the limit (32). */
  NESTING_TOO_DEEP: 400,
  /** An object in the body names the same key twice; details name its path. */
  DUPLICATE_KEY: 400,
  /** Path, query, header or body fails the request schema. */
  VALIDATION_FAILED: 400,
  TOKEN_MISSING: 401,
  /** Bad signature, wrong issuer or audience, missing claims, unknown key. */
  TOKEN_INVALID: 401,
  TOKEN_EXPIRED: 401,
  /** A request signed in with the family's session cookie lacks its CSRF token, or has another. */
  CSRF_INVALID: 403,
  /** The kommune's identity provider (its JWKS) did not answer; safe to retry. */
  AUTH_UNAVAILABLE: 503,
  /** The token's role may not do this (or is not a role of the kommune). */
  ROLE_NOT_ALLOWED: 403,
  /** The role may send the event, but in this case it is for the case's holder (or its team). */
  ACTOR_NOT_ALLOWED: 403,
  /** The token is for another kommune (collection routes; a case answers CASE_NOT_FOUND). */
  KOMMUNE_NOT_ALLOWED: 403,
  /** The request comes from a web page this endpoint does not answer (the codec: only the Temporal UI's). */
  ORIGIN_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  KOMMUNE_NOT_FOUND: 404,
  CASE_NOT_FOUND: 404,
  /** The case has no open task with this id (completed already, or never there). */
  TASK_NOT_FOUND: 404,
  CONFIG_VERSION_NOT_FOUND: 404,
  /** The kommune has no config draft to read, diff or publish. */
  DRAFT_NOT_FOUND: 404,
  /** The person has no entry in the kommune's staff directory. */
  STAFF_ENTRY_NOT_FOUND: 404,
  /** The kommune's config has no survey of this id. */
  SURVEY_NOT_FOUND: 404,
  /** No round of this partner survey was sent with this id. */
  SURVEY_ROUND_NOT_FOUND: 404,
  /** The case moved on since the caller read it. */
  REVISION_CONFLICT: 409,
  /** The Idempotency-Key was already used for a different request (opening, event or reopening). */
  IDEMPOTENCY_KEY_REUSED: 409,
  /** A config version was published after the one the draft is based on. */
  PUBLISH_CONFLICT: 409,
  /** Someone else saved the draft since the caller read it. */
  DRAFT_CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  /** A diagram with more steps or transitions than may be laid out; refused before any work. */
  DIAGRAM_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  EVENT_UNKNOWN: 422,
  /** The event exists but is not handled in the case's current step. */
  EVENT_NOT_ALLOWED: 422,
  PAYLOAD_INVALID: 422,
  CONSENT_MISSING: 422,
  /** No gate of the event holds for this payload and case. */
  NO_GATE_MATCHED: 422,
  CASE_CLOSED: 422,
  REOPEN_NOT_ALLOWED: 422,
  REFERRAL_SOURCE_UNKNOWN: 422,
  MIGRATION_REFUSED: 422,
  /** A family survey, sent by its cases' effects, not by a leader. */
  SURVEY_NOT_FOR_PARTNERS: 422,
  /** A payload field that names a person (new holder, team member) holds no user id; `details` names it. */
  PERSON_ID_INVALID: 422,
  /** The new holder already holds as many open cases as the kommune allows. */
  CAPACITY_FULL: 422,
  /** Every allowed person in the kommune has a caseload limit of their own already. */
  CASELOAD_LIMITS_FULL: 422,
  /** The kommune's staff directory holds as many people as allowed. */
  STAFF_DIRECTORY_FULL: 422,
  /** The config fails validation; details carry every error with its JSON pointer. */
  CONFIG_INVALID: 422,
  /** The diagram could not be laid out within its time limit (or memory). */
  LAYOUT_TOO_LARGE: 422,
  /** The config could not be validated within its time limit. */
  VALIDATION_TIMEOUT: 422,
  /** No way of laying the diagram out succeeded (elkjs and our own placement); the config itself may be fine. */
  DIAGRAM_LAYOUT_FAILED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  /** Temporal did not answer in time, or is down; safe to retry. */
  TEMPORAL_UNAVAILABLE: 503,
  REQUEST_TIMEOUT: 503,
  /** Every thread for layout and validation is busy and the queue is full; safe to retry. */
  SERVER_BUSY: 503,
} as const;

export type ErrorCode = keyof typeof ErrorStatus;
export const ErrorCodes = Object.keys(ErrorStatus) as ErrorCode[];

/**
 * Each code's message in bokmål, for the caseworker or process owner reading the answer: the
 * default where a site has nothing more specific to say (sites with specifics pass their own).
 * A `Record` over every code, so a new code does not compile without its message.
 */
export const ErrorNb: Record<ErrorCode, string> = {
  MALFORMED_JSON: 'Forespørselen er ikke gyldig JSON.',
  INVALID_UTF8: 'Forespørselen er ikke gyldig UTF-8.',
  NESTING_TOO_DEEP: 'Forespørselen har for mange nivåer inni hverandre.',
  DUPLICATE_KEY: 'Forespørselen har samme felt to ganger i ett objekt.',
  VALIDATION_FAILED: 'Forespørselen er ikke gyldig.',
  TOKEN_MISSING: 'Du er ikke logget inn.',
  CSRF_INVALID:
    'Skjemaet er utløpt eller kom ikke fra denne siden. Gå tilbake, last siden på nytt og prøv igjen.',
  TOKEN_INVALID: 'Innloggingen er ugyldig. Logg inn på nytt.',
  TOKEN_EXPIRED: 'Innloggingen er utløpt. Logg inn på nytt.',
  AUTH_UNAVAILABLE: 'Innloggingstjenesten svarer ikke. Prøv igjen om litt.',
  ROLE_NOT_ALLOWED: 'Rollen din har ikke tilgang til dette.',
  ORIGIN_NOT_ALLOWED: 'Denne siden får ikke bruke tjenesten.',
  ACTOR_NOT_ALLOWED: 'Bare sakens stafettholder (eller teamet) kan gjøre dette.',
  KOMMUNE_NOT_ALLOWED: 'Du er logget inn for en annen kommune.',
  NOT_FOUND: 'Siden eller ressursen finnes ikke.',
  KOMMUNE_NOT_FOUND: 'Kommunen finnes ikke.',
  CASE_NOT_FOUND: 'Saken finnes ikke.',
  TASK_NOT_FOUND: 'Oppgaven finnes ikke i saken, eller den er allerede gjort.',
  CONFIG_VERSION_NOT_FOUND: 'Denne versjonen av slusemodellen finnes ikke.',
  DRAFT_NOT_FOUND: 'Det finnes ikke noe utkast.',
  STAFF_ENTRY_NOT_FOUND: 'Personen står ikke i kommunens kontaktliste for ansatte.',
  SURVEY_NOT_FOUND: 'Skjemaet finnes ikke i kommunens slusemodell.',
  SURVEY_ROUND_NOT_FOUND: 'Denne utsendelsen av skjemaet finnes ikke.',
  SURVEY_NOT_FOR_PARTNERS:
    'Skjemaet er til familier og sendes fra saken; bare skjemaer til samarbeidspartnere sendes herfra.',
  REVISION_CONFLICT: 'Saken er endret siden du åpnet den. Last saken på nytt og prøv igjen.',
  IDEMPOTENCY_KEY_REUSED:
    'Denne Idempotency-Key er allerede brukt til en annen forespørsel; ingenting ble gjort.',
  PUBLISH_CONFLICT:
    'Noen har publisert en ny versjon siden utkastet ble laget. Se over endringene og prøv igjen.',
  DRAFT_CONFLICT: 'Noen andre har lagret utkastet siden du hentet det. Hent det på nytt.',
  PAYLOAD_TOO_LARGE: 'Forespørselen er for stor.',
  DIAGRAM_TOO_LARGE: 'Modellen er for stor til å tegnes.',
  UNSUPPORTED_MEDIA_TYPE: 'Send forespørselen som JSON i UTF-8 (application/json).',
  EVENT_UNKNOWN: 'Hendelsen finnes ikke.',
  EVENT_NOT_ALLOWED: 'Hendelsen kan ikke sendes i saken nå.',
  PAYLOAD_INVALID: 'Skjemaet er ikke riktig utfylt.',
  CONSENT_MISSING: 'Saken mangler samtykke som trengs for dette.',
  NO_GATE_MATCHED: 'Ingen av vilkårene for hendelsen er oppfylt.',
  CASE_CLOSED: 'Saken er avsluttet.',
  REOPEN_NOT_ALLOWED: 'Saken kan ikke gjenåpnes.',
  REFERRAL_SOURCE_UNKNOWN: 'Henvisningskilden er ukjent.',
  MIGRATION_REFUSED: 'Saken kan ikke flyttes til den nye versjonen.',
  PERSON_ID_INVALID: 'Feltet må angi en person med brukerident.',
  CAPACITY_FULL: 'Den nye stafettholderen har allerede så mange åpne saker som tillatt.',
  CASELOAD_LIMITS_FULL:
    'Kommunen har allerede så mange personer med eget sakstak som tillatt. Fjern én først.',
  STAFF_DIRECTORY_FULL:
    'Kontaktlisten for ansatte har allerede så mange personer som tillatt. Fjern én først.',
  CONFIG_INVALID: 'Slusemodellen har feil. Se listen over feil.',
  LAYOUT_TOO_LARGE: 'Modellen kunne ikke tegnes innen tidsgrensen.',
  VALIDATION_TIMEOUT: 'Modellen kunne ikke kontrolleres innen tidsgrensen.',
  DIAGRAM_LAYOUT_FAILED:
    'Diagrammet kunne ikke tegnes. Modellen kan likevel kontrolleres og publiseres.',
  RATE_LIMITED: 'For mange forespørsler på kort tid. Vent litt og prøv igjen.',
  INTERNAL: 'Noe gikk galt hos oss. Prøv igjen senere.',
  TEMPORAL_UNAVAILABLE:
    'Saksmotoren svarte ikke i tide. Se saken før du prøver igjen; endringen kan ha blitt utført.',
  REQUEST_TIMEOUT: 'Serveren svarte ikke i tide. Prøv igjen.',
  SERVER_BUSY: 'Serveren er opptatt. Prøv igjen om et øyeblikk.',
};
