/**
 * Semantic check of messages: every `{{variable}}` a template uses is one the renderer fills
 * (config/message-variables.ts), the link only where a feedback or survey effect sends it (and
 * always there), and every `notify` goes to someone the delivery can find: a role, the holder or
 * the family. A message must never go out with a placeholder in it, so this is caught when the
 * config is written, not when the message is sent.
 */
import type { ConfigError } from './config-error';
import { effectSites } from './config-sites';
import { didYouMean } from './did-you-mean';
import { pointer } from './json-pointer';
import {
  FormerVariableNames,
  isMessageVariable,
  MessageVariableNames,
  MessageVariables,
  placeholdersIn,
  strayBraces,
} from './message-variables';
import type { KommuneConfig } from './types';

/** Recipients of `notify` besides the kommune's roles. */
export const SpecialRecipients = ['holder', 'family'] as const;

const LINK_EFFECTS = new Set(['sendFeedbackLink', 'sendSurvey']);

export function checkTemplates(config: KommuneConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  const templates = config.templates ?? {};
  /**
   * Per template id: the paths of the effects (and partner surveys) that send it, whether each
   * carries a link, and whether it belongs to no case (a partner survey's invitation).
   */
  const senders = new Map<string, Array<{ path: string; link: boolean; caseless?: true }>>();
  for (const [id, survey] of Object.entries(config.surveys ?? {})) {
    if (survey.audience !== 'partner' || survey.invitation === undefined) continue;
    const list = senders.get(survey.invitation) ?? [];
    list.push({ path: pointer('surveys', id, 'invitation'), link: true, caseless: true });
    senders.set(survey.invitation, list);
  }

  for (const { effect, path } of effectSites(config)) {
    if (effect.type === 'notify') {
      const to = effect.role;
      const known =
        (SpecialRecipients as readonly string[]).includes(to) || Object.hasOwn(config.roles, to);
      if (!known) errors.push(unknownRecipient(config, to, `${path}/role`));
    }
    if (
      effect.type === 'notify' ||
      effect.type === 'escalate' ||
      effect.type === 'sendFeedbackLink' ||
      effect.type === 'sendSurvey'
    ) {
      const list = senders.get(effect.template) ?? [];
      list.push({ path, link: LINK_EFFECTS.has(effect.type) });
      senders.set(effect.template, list);
    }
  }

  for (const [id, template] of Object.entries(templates)) {
    let usesLink = false;
    for (const field of ['title', 'body'] as const) {
      const text = template[field];
      const path = pointer('templates', id, field);
      const seen = new Set<string>();
      for (const { name } of placeholdersIn(text)) {
        if (seen.has(name)) continue;
        seen.add(name);
        // The former `{{link}}` is reported as unknown once; the link is meant, so it counts.
        if (name === 'lenke' || FormerVariableNames[name] === 'lenke') usesLink = true;
        if (!isMessageVariable(name)) {
          errors.push(unknownVariable(name, path));
        } else {
          if ('linkOnly' in MessageVariables[name]) {
            const stray = (senders.get(id) ?? []).find((s) => !s.link);
            if (stray) errors.push(linkOutsideFeedback(id, name, stray.path, path));
          }
          if ('caseOnly' in MessageVariables[name]) {
            const caseless = (senders.get(id) ?? []).find((s) => s.caseless);
            if (caseless) errors.push(caseVariableWithoutCase(id, name, caseless.path, path));
          }
        }
      }
      const at = strayBraces(text);
      if (at !== undefined) {
        errors.push({
          path,
          code: 'TEMPLATE_UNCLOSED_PLACEHOLDER',
          message: `"{{" at character ${at + 1} is never closed with "}}"`,
          nb: `«{{» ved tegn ${at + 1} lukkes aldri med «}}». Skriv variabelen som for eksempel «{{frist}}».`,
          hint: 'write a variable as {{name}}',
        });
      }
    }
    if (!usesLink) {
      for (const sender of (senders.get(id) ?? []).filter((s) => s.link)) {
        errors.push({
          path: `${sender.path}/template`,
          code: 'FEEDBACK_TEMPLATE_WITHOUT_LINK',
          message: `template "${id}" carries no {{lenke}}, so the family gets no link to answer`,
          nb: `Malen «${id}» har ikke «{{lenke}}», så familien får ingen lenke å svare på. Sett «{{lenke}}» inn i teksten.`,
          hint: 'put {{lenke}} in the template body',
        });
      }
    }
  }
  return errors;
}

function unknownVariable(name: string, path: string): ConfigError {
  const guess = Object.hasOwn(FormerVariableNames, name)
    ? FormerVariableNames[name]
    : didYouMean(name, MessageVariableNames);
  const all = MessageVariableNames.map((n) => `{{${n}}}`).join(', ');
  return {
    path,
    code: 'TEMPLATE_UNKNOWN_VARIABLE',
    message: `template variable "{{${name}}}" is not known`,
    nb: `Malen bruker «{{${name}}}», som ikke er en kjent variabel. ${
      guess ? `Mente du «{{${guess}}}»?` : `Variablene er: ${all}.`
    }`,
    hint: guess ? `did you mean "{{${guess}}}"?` : `the variables are: ${all}`,
  };
}

function linkOutsideFeedback(
  id: string,
  name: string,
  senderPath: string,
  path: string,
): ConfigError {
  return {
    path,
    code: 'TEMPLATE_LINK_OUTSIDE_FEEDBACK',
    message: `template "${id}" uses {{${name}}} but is also sent by ${senderPath}, which has no link`,
    nb: `Malen «${id}» bruker «{{${name}}}», men sendes også av ${senderPath}, som ikke har noen lenke. Bare «sendFeedbackLink» og «sendSurvey» sender lenke; lag en egen mal for den andre meldingen.`,
    hint: 'only sendFeedbackLink and sendSurvey carry a link; give the other message its own template',
  };
}

function caseVariableWithoutCase(
  id: string,
  name: string,
  senderPath: string,
  path: string,
): ConfigError {
  return {
    path,
    code: 'TEMPLATE_CASE_VARIABLE_WITHOUT_CASE',
    message: `template "${id}" uses {{${name}}}, a fact of a case, but ${senderPath} sends it with no case`,
    nb: `Malen «${id}» bruker «{{${name}}}», som hører til en sak, men den sendes av ${senderPath} uten noen sak. Her kan bare «{{kommune}}» og «{{lenke}}» brukes.`,
    hint: 'only {{kommune}} and {{lenke}} are known there',
  };
}

function unknownRecipient(config: KommuneConfig, to: string, path: string): ConfigError {
  const candidates = [...Object.keys(config.roles), ...SpecialRecipients];
  const guess = didYouMean(to, candidates);
  const roles = Object.keys(config.roles).join(', ');
  return {
    path,
    code: 'UNKNOWN_RECIPIENT',
    message: `unknown recipient "${to}": neither a role nor "holder" or "family"`,
    nb: `Det finnes ingen rolle eller mottaker «${to}». ${
      guess
        ? `Mente du «${guess}»?`
        : `Mottakeren kan være en rolle (${roles}), «holder» (den som har stafettpinnen) eller «family» (familien i saken).`
    }`,
    hint: guess
      ? `did you mean "${guess}"?`
      : `a role (${roles}), "holder" (the stafettholder) or "family" (the case's family)`,
  };
}
