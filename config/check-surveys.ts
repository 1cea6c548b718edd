/**
 * Semantic check of the feedback forms and surveys (`surveys`): ids unique where the form and the
 * statistics look them up, a link that lasts some time, and every `sendFeedbackLink` /
 * `sendSurvey` effect naming a survey that exists and is written for families (those effects
 * send to the family), and a partner survey with the invitation a leader sends it with. The
 * schema has already bounded texts and list sizes.
 */
import type { ConfigError } from './config-error';
import type { KommuneConfig } from './types';
import { effectSites } from './config-sites';
import { didYouMean } from './did-you-mean';
import { isZeroDuration, parseDuration } from './duration';
import { pointer } from './json-pointer';

export function checkSurveys(config: KommuneConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  const surveys = config.surveys ?? {};

  for (const [id, survey] of Object.entries(surveys)) {
    const duplicate = (ids: string[], path: (i: number) => Array<string | number>, nb: string) => {
      const seen = new Set<string>();
      ids.forEach((one, i) => {
        if (!seen.has(one)) return void seen.add(one);
        errors.push({
          code: 'SURVEY_DUPLICATE_ID',
          path: pointer(...path(i)),
          message: `"${one}" is used twice`,
          nb: `${nb} «${one}» står to ganger i «${survey.title}». Hver id må være unik, så svarene og statistikken peker på riktig sted.`,
          hint: 'give each one an id of its own',
        });
      });
    };
    duplicate(
      survey.questions.map((q) => q.id),
      (i) => ['surveys', id, 'questions', i, 'id'],
      'Spørsmålet',
    );
    survey.questions.forEach((q, i) => {
      if (q.type === 'choice')
        duplicate(
          q.options.map((o) => o.id),
          (j) => ['surveys', id, 'questions', i, 'options', j, 'id'],
          'Svaret',
        );
    });
    if (survey.audience === 'partner' && survey.invitation === undefined) {
      errors.push({
        code: 'SURVEY_PARTNER_WITHOUT_INVITATION',
        path: pointer('surveys', id),
        message: 'a partner survey needs an "invitation": the template its link is sent with',
        nb: `«${survey.title}» er til samarbeidspartnere, men har ingen «invitation»: malen lenken sendes med når en leder sender skjemaet. Legg til «invitation» med en mal som har «{{lenke}}».`,
        hint: 'add "invitation": a template with {{lenke}}',
      });
    }
    if (survey.audience === 'family' && survey.invitation !== undefined) {
      errors.push({
        code: 'SURVEY_INVITATION_FOR_FAMILY',
        path: pointer('surveys', id, 'invitation'),
        message:
          'only a partner survey has an "invitation"; a family survey is sent by the template of its sendFeedbackLink or sendSurvey effect',
        nb: `«${survey.title}» er til familien og sendes med malen i «sendFeedbackLink» eller «sendSurvey». Bare skjemaer til samarbeidspartnere har «invitation»; fjern den.`,
        hint: 'remove "invitation"',
      });
    }
    const expires = parseDuration(survey.expiresAfter);
    if (expires && isZeroDuration(expires)) {
      errors.push({
        code: 'ZERO_DURATION',
        path: pointer('surveys', id, 'expiresAfter'),
        message: 'a link that expires at once can never be answered',
        nb: `Lenken til «${survey.title}» går ut med en gang og kan aldri besvares. Skriv for eksempel P30D.`,
        hint: 'e.g. P30D',
      });
    }
  }

  const known = new Set(Object.keys(surveys));
  for (const { effect, path } of effectSites(config)) {
    if (effect.type !== 'sendFeedbackLink' && effect.type !== 'sendSurvey') continue;
    const survey = Object.hasOwn(surveys, effect.survey) ? surveys[effect.survey] : undefined;
    if (!survey) {
      const guess = didYouMean(effect.survey, known);
      errors.push({
        code: 'UNKNOWN_SURVEY',
        path: `${path}/survey`,
        message: `unknown survey "${effect.survey}"`,
        nb: `Det finnes ikke noe skjema «${effect.survey}». ${
          guess
            ? `Mente du «${guess}»?`
            : known.size > 0
              ? `Definerte skjemaer («surveys»): ${[...known].join(', ')}.`
              : 'Definer det under «surveys».'
        }`,
        hint: guess ? `did you mean "${guess}"?` : 'declare it in surveys',
      });
    } else if (survey.audience !== 'family') {
      errors.push({
        code: 'SURVEY_NOT_FOR_FAMILY',
        path: `${path}/survey`,
        message: `survey "${effect.survey}" is written for partner services, but "${effect.type}" sends it to the family`,
        nb: `«${survey.title}» er skrevet til samarbeidspartnere, men «${effect.type}» sender lenken til familien. Velg et skjema med «audience»: «family».`,
        hint: 'name a survey with audience "family"',
      });
    }
  }
  return errors;
}
