/**
 * Every code a config error can carry, with what it means in bokmål for the process owner. One
 * table, so the codes are listable (docs/config-reference.md is generated from it) and a code a
 * check uses must be declared here. A code is stable: clients and tests branch on it, never on
 * the message; rename one only with its users.
 *
 * Schema errors are `SCHEMA_<KEYWORD>` of the JSON Schema keyword that failed, except where the
 * failed keyword says something plainer: an id, a kommune id or a duration in the wrong shape.
 *
 * @module
 */
export const ConfigErrorCodes = {
  // Reading the text
  JSON_SYNTAX: 'Teksten er ikke gyldig JSON (linje og kolonne er oppgitt).',
  JSON_TOO_DEEP: 'Konfigurasjonen er nøstet dypere enn noen konfigurasjon trenger.',
  DUPLICATE_KEY: 'Samme navn står to ganger i ett objekt; JSON beholder bare det siste.',
  FILE_UNREADABLE: 'Konfigurasjonsfilen eller -mappen kan ikke leses.',
  ID_MISMATCH: '«id» stemmer ikke med filnavnet eller kommunen utkastet gjelder.',

  // The shape (JSON Schema)
  SCHEMA_ADDITIONAL_PROPERTIES: 'En egenskap som ikke finnes på dette stedet (ofte en skrivefeil).',
  SCHEMA_REQUIRED: 'En påkrevd egenskap mangler.',
  SCHEMA_TYPE: 'Verdien har feil type (tekst, tall, liste, objekt …).',
  SCHEMA_ENUM: 'Verdien er ikke ett av de tillatte valgene.',
  SCHEMA_FORMAT: 'Verdien har feil format (for eksempel en dato).',
  SCHEMA_MIN_LENGTH: 'Teksten er for kort eller tom.',
  SCHEMA_MIN_ITEMS: 'Listen har for få elementer.',
  SCHEMA_MAX_LENGTH: 'Teksten er for lang.',
  SCHEMA_MAX_ITEMS: 'Listen har for mange elementer.',
  SCHEMA_MIN_PROPERTIES: 'Objektet har for få oppføringer.',
  SCHEMA_UNIQUE_ITEMS: 'Listen har samme verdi to ganger.',
  SCHEMA_MAX_PROPERTIES: 'Objektet har for mange oppføringer.',
  SCHEMA_MINIMUM: 'Tallet er for lite.',
  SCHEMA_MAXIMUM: 'Tallet er for stort.',
  SCHEMA_INVALID: 'Verdien oppfyller ikke en regel i skjemaet for konfigurasjoner.',
  INVALID_ID: 'Et navn (id) har ugyldige tegn eller er for langt.',
  INVALID_KOMMUNE_ID: 'Kommunens id har ugyldig form.',
  INVALID_DURATION: 'En varighet er ikke skrevet som for eksempel P14D, P6M, P1Y6M eller PT2H.',

  // Names that must be declared
  UNKNOWN_STEP: 'Steget er ikke definert under «steps».',
  UNKNOWN_EVENT: 'Hendelsen er ikke definert under «events».',
  UNKNOWN_ROLE: 'Rollen er ikke definert under «roles».',
  UNKNOWN_CONSENT_TYPE: 'Samtykketypen er ikke definert under «consentTypes».',
  UNKNOWN_TEMPLATE: 'Malen er ikke definert under «templates».',
  UNKNOWN_SURVEY: 'Skjemaet er ikke definert under «surveys».',
  UNKNOWN_CASE_FIELD: 'Saksfeltet er ikke definert under «fields» eller i inntaksskjemaet.',
  UNKNOWN_FIELD_PROPERTY: 'Saksfeltet har ikke egenskapen regelen leser.',
  UNKNOWN_PAYLOAD_PROPERTY: 'Skjemaet til hendelsen har ikke feltet som leses.',
  NO_PAYLOAD_TO_READ: 'Her finnes ikke noe skjema å lese fra (en frist utløses uten skjema).',
  RESERVED_ROLE_ID: '«holder», «family» og «system» er reserverte rollenavn.',
  DUPLICATE_CAPACITY_RULE: 'Rollen har allerede en kapasitetsregel.',
  SEND_OUTSIDE_TIMER: '«send» kan bare brukes når en frist løper ut.',

  // Messages (templates and recipients)
  UNKNOWN_RECIPIENT:
    'Meldingen går til noen som ikke finnes: mottakeren må være en rolle, «holder» eller «family».',
  TEMPLATE_UNKNOWN_VARIABLE:
    'Malen bruker en variabel som ikke finnes, og ville blitt sendt med «{{…}}» i teksten.',
  TEMPLATE_UNCLOSED_PLACEHOLDER: 'Malen har «{{» som aldri lukkes med «}}».',
  TEMPLATE_LINK_OUTSIDE_FEEDBACK:
    'Malen bruker «{{lenke}}», men sendes også av en melding som ikke har noen lenke.',
  FEEDBACK_TEMPLATE_WITHOUT_LINK:
    'Tilbakemeldingen eller undersøkelsen sendes med en mal uten «{{lenke}}», så familien får ingen lenke.',

  // Rules (JSON Logic)
  RULE_NOT_ONE_OPERATOR: 'Et regelobjekt må ha nøyaktig én operator.',
  RULE_UNKNOWN_OPERATOR: 'Operatoren finnes ikke eller er ikke tillatt i regler.',
  RULE_MAYBE_MISSING_VALUE: 'Regelen regner med en verdi som kan mangle, og gir da feil svar.',
  RULE_UNKNOWN_ROOT:
    'Regelen leser noe som ikke begynner med data., payload., consents., case. eller actor.',
  RULE_UNKNOWN_ACTOR_FACT: 'Regelen leser noe om den som handler som ikke finnes.',
  RULE_UNKNOWN_CASE_FACT: 'Regelen leser et saksfaktum som ikke finnes.',

  // Timers and durations
  DUPLICATE_TIMER_ID: 'To frister i samme steg har samme id.',
  UNKNOWN_TIMER: 'Påminnelsen viser til en frist steget ikke har.',
  REMINDER_OF_REMINDER: 'En påminnelse kan ikke minne om en annen påminnelse.',
  TIMER_SENDS_UNHANDLED_EVENT: 'Fristen sender en hendelse steget ikke håndterer.',
  EXTEND_UNKNOWN_TIMER: 'Forlengelsen viser til en frist steget ikke har å forlenge.',
  EXTEND_LEAVES_STEP: 'En forlengelse må stå på en overgang som blir i steget.',
  EXTEND_OUTSIDE_TRANSITION: '«extendTimer» kan bare stå på en overgang.',
  ZERO_DURATION: 'En varighet er null.',
  WORKING_DAYS_WITH_TIME: 'En frist i arbeidsdager kan ikke ha timer eller minutter.',

  // The flow of steps
  CLOSING_REASON_NOT_A_CHOICE: 'Avslutningsgrunnen hentes fra et skjemafelt uten faste valg.',
  SAME_STEP_TARGET_UNCLEAR: 'En overgang til sitt eget steg må si om steget starter på nytt.',
  REENTER_ON_LEAVING_TRANSITION: '«reenter» gjelder bare en overgang som blir i steget.',
  FINAL_STEP_HANDLES_EVENTS: 'Et avsluttende steg kan ikke ta imot hendelser.',
  FINAL_STEP_HAS_TIMERS: 'Et avsluttende steg kan ikke ha frister.',
  GATE_BRANCH_UNREACHABLE: 'En gren i en forgrening blir aldri valgt.',
  STEP_UNREACHABLE: 'Steget kan ikke nås fra inntaket.',
  STEP_NO_WAY_OUT: 'Steget er ikke avsluttende, men har ingen vei videre.',
  STEP_CANNOT_END: 'Ingen saker fra dette steget kan noen gang avsluttes.',
  REOPEN_INTO_FINAL_STEP: 'Gjenåpning fører til et avsluttende steg.',
  RETENTION_WHOLE_DAYS: 'Oppbevaringstid telles i hele dager, uker, måneder eller år.',
  RETENTION_SHORTER_THAN_REOPEN: 'Saker ville blitt slettet mens de ennå kan gjenåpnes.',
  RETENTION_TOO_LONG: 'Oppbevaringstiden er lengre enn 100 år.',
  RETENTION_STEP_NOT_FINAL: 'Oppbevaringstid er satt for et steg som ikke avslutter saken.',
  EVENT_NEVER_SENT: 'Ingen rolle kan sende hendelsen, og ingen frist sender den.',

  // Forms (JSON Schema inside the config)
  FORM_SCHEMA_INVALID: 'Skjemaet eller feltet er ikke gyldig JSON Schema.',
  FORM_NOT_OBJECT: 'Skjemaet til en hendelse må være et objekt med felter.',
  FORM_REQUIRES_UNDECLARED: 'Skjemaet krever et felt det ikke har.',
  FORM_BOUND_TOO_HIGH: 'En grense for tekstlengde eller antall er høyere enn tillatt.',
  PATTERN_NOT_SUPPORTED:
    'Et mønster (pattern) bruker noe RE2 ikke kan (tilbakereferanser, lookaround).',

  // Roles and consent
  FAMILY_ROLE_SEES_KOMMUNE: 'En familierolle kan ikke se hele kommunen.',
  FAMILY_ROLE_AUDITS_ACCESS: 'En familierolle kan ikke lese hvem som har lest kommunens saker.',
  CONSENT_YOUTH_WITHOUT_AGE_FIELD:
    'Ungdommen kan samtykke, men ingen «ageField» sier hvor alderen står.',
  CONSENT_LOSS_UNHANDLED: 'Saken kan bli stående i et steg uten samtykket steget krever.',
  CONSENT_WHEN_LOST_NOT_HANDLED:
    'Steget krever samtykket, men håndterer ikke hendelsen når det mistes.',
  CONSENT_WHEN_LOST_STAYS: 'Når samtykket mistes, må saken gå til et steg som ikke krever det.',
  CONSENT_WHEN_LOST_CONDITIONAL: 'Når samtykket mistes, må overgangen alltid bli tatt.',
  CONSENT_GIVER_ROLE_NOT_FAMILY: '«consentsAs» kan bare stå på en familierolle («family»: true).',
  CONSENT_FAMILY_ROLE_WITHOUT_KIND:
    'En familierolle som kan gi samtykke, må si om den samtykker som forelder eller ungdom.',
  CONSENT_ROLE_NOT_A_GIVER: 'Rollen samtykker som en giver samtykketypen ikke tillater.',
  CONSENT_GIVER_FIELD_MISSING:
    'Ansatte som registrerer samtykket, må ha et skjemafelt som sier hvem som ga det.',
  SELF_REFERRAL_UNKNOWN_SOURCE:
    'Henvisningskilden for familiens egen henvendelse finnes ikke under «referralSources».',
  SELF_REFERRAL_FINAL_STEP: 'En sak familien selv ber om, kan ikke starte i et avsluttende steg.',
  SELF_REFERRAL_NO_PARENT_ROLE:
    'Ingen familierolle samtykker som forelder («consentsAs»: «parent»), så foreldre kan ikke logge inn.',
  SELF_REFERRAL_NOTIFY_HOLDER:
    'En sak familien selv ber om, har ingen stafettholder ennå: meldingen må gå til en rolle.',
  CONSENT_REQUIRES_ALL_ONE_GIVER: '«requires»: «all» gir mening bare med mer enn én giver.',

  // Rules said once
  SHARED_EVENTS_UNKNOWN_STEP: 'Gruppen av felles hendelser nevner et steg som ikke finnes.',
  SHARED_EVENTS_FINAL_STEP: 'Felles hendelser kan ikke gjelde i et avsluttende steg.',
  SHARED_EVENTS_STEP_HANDLES_ITSELF:
    'Steget er nevnt i gruppen, men håndterer hendelsen selv; det er motstridende.',
  SHARED_EVENTS_NO_STEPS: 'Gruppen av felles hendelser gjelder ikke i noe steg.',
  SHARED_EVENTS_UNKNOWN_EVENT: 'Gruppen håndterer en hendelse som ikke er definert under «events».',
  SHARED_EVENTS_BRANCH_NEVER_TAKEN: 'En gren i en felles hendelse kan aldri bli tatt.',
  SHARED_EVENTS_TWICE: 'To grupper gir samme steg samme hendelse.',
  COMPUTED_UNKNOWN: 'En regel leser en beregnet verdi som ikke er definert under «computed».',
  COMPUTED_CYCLE: 'Beregnede verdier bruker hverandre i ring.',
  COMPUTED_CHAIN_TOO_LONG: 'En beregnet verdi bygger på for mange andre i rekke (høyst 8).',

  // Teams
  TEAM_MEETING_INTERVAL: 'Teamets møter må ligge minst én hel dag fra hverandre.',
  TEAM_KIND_UNKNOWN: 'Ingen team er av denne typen.',
  TEAM_FIELD_NOT_IN_FORM: 'Skjemaet har ikke feltet teamet skal velges i.',
  TEAM_FIELD_NOT_A_CHOICE: 'Feltet teamet velges i, må være en liste over team (enum).',
  TEAM_NOT_OF_KIND: 'Et valg i listen er ikke et team av denne typen.',
  TEAM_NEVER_ASSIGNED: 'En frist følger et team av en type som ingen sak noen gang settes på.',

  // The family's page (familyTexts)
  FAMILY_TEXT_UNKNOWN_STEP: 'Familieteksten gjelder et steg som ikke finnes under «steps».',
  FAMILY_TEXT_UNKNOWN_EVENT:
    'Loggsetningen til familien gjelder en hendelse som ikke finnes under «events».',
  FAMILY_TEXT_UNKNOWN_TIMER: 'Familieteksten gjelder en frist steget ikke har.',
  FAMILY_TEXT_UNKNOWN_CONSENT_TYPE:
    'Familieteksten gjelder en samtykketype som ikke finnes under «consentTypes».',
  // The online self-assessment (screening)
  SCREENING_DUPLICATE_ID: 'To aldersgrupper, spørsmål, svar eller resultater har samme id.',
  SCREENING_AGE_RANGE_EMPTY: 'En aldersgruppe har høyeste alder lavere enn laveste.',
  SCREENING_AGE_BANDS_OVERLAP: 'To aldersgrupper gjelder samme alder.',
  SCREENING_SCORE_RANGE_EMPTY: 'Et resultat har høyeste poengsum lavere enn laveste.',
  SCREENING_RESULTS_GAP: 'Noen poengsummer hører ikke til noe resultat.',
  SCREENING_RESULTS_OVERLAP: 'To resultater gjelder samme poengsum.',
  LINK_NOT_HTTPS: 'En lenke må være en hel https-adresse.',
  INVALID_PHONE: 'Et telefonnummer har andre tegn enn sifre, mellomrom, «+», «-» og parenteser.',

  // Feedback forms and surveys
  SURVEY_DUPLICATE_ID: 'To spørsmål eller svar i samme skjema har samme id.',
  SURVEY_NOT_FOR_FAMILY:
    'Lenken sendes til familien, men skjemaet er skrevet til samarbeidspartnere.',
  SURVEY_PARTNER_WITHOUT_INVITATION:
    'Skjemaet til samarbeidspartnere har ingen «invitation», malen lenken sendes med.',
  SURVEY_INVITATION_FOR_FAMILY:
    'Bare skjemaer til samarbeidspartnere har «invitation»; skjemaer til familien sendes av en effekt.',
  TEMPLATE_CASE_VARIABLE_WITHOUT_CASE:
    'Malen bruker en variabel fra en sak, men sendes uten sak (invitasjonen til samarbeidspartnere).',

  // The engine's own compile, the last check before publishing
  ENGINE_COMPILE_FAILED: 'Motoren kan ikke bygge saksflyten av konfigurasjonen.',
} as const satisfies Record<string, string>;

export type ConfigErrorCode = keyof typeof ConfigErrorCodes;

export function isConfigErrorCode(code: string): code is ConfigErrorCode {
  return Object.hasOwn(ConfigErrorCodes, code);
}
