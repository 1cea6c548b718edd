/**
 * A process owner writing message templates learns at validation, not when a family receives
 * `{{…}}`: which variable is unknown and where, that the link belongs in feedback messages only,
 * and who a message may go to.
 */
import { validateConfig, type ConfigError } from '../../config';
import { minimalConfig } from './helpers/fixtures';

type Config = any;

function errorsAfter(edit: (c: Config) => void): ConfigError[] {
  const c = minimalConfig() as Config;
  edit(c);
  const r = validateConfig(c);
  return r.ok ? [] : r.errors;
}

describe('message templates in the config', () => {
  it('when templates use the known variables (spaces inside the braces allowed) and a notify goes to the family, then the config is valid', () => {
    expect(
      errorsAfter((c) => {
        c.templates.reminder.body =
          '{{kommune}}: sak {{ saksnummer }} i {{steg}} ({{niva}}), frist {{frist}}. Kontakt {{stafettholder}}.';
        c.steps.worry.timers[1].onExpiry[0].role = 'family';
      }),
    ).toEqual([]);
  });

  it('when a template uses an English name from before, then the error is at the template text and says the Norwegian one', () => {
    const errors = errorsAfter((c) => (c.templates.reminder.title = 'Frist {{dueAt}}'));
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'TEMPLATE_UNKNOWN_VARIABLE',
        path: '/templates/reminder/title',
        nb: 'Malen bruker «{{dueAt}}», som ikke er en kjent variabel. Mente du «{{frist}}»?',
      }),
    ]);
  });

  it('when a template uses a made-up variable, then the error lists the variables there are', () => {
    const [error] = errorsAfter((c) => (c.templates.reminder.body = 'Hei {{foreldrenavn}}'));
    expect(error).toMatchObject({
      code: 'TEMPLATE_UNKNOWN_VARIABLE',
      path: '/templates/reminder/body',
    });
    expect(error.nb).toContain('{{stafettholder}}');
  });

  it('when the feedback template is also sent by a reminder, then {{lenke}} there is an error naming the reminder', () => {
    const errors = errorsAfter((c) => (c.steps.worry.timers[1].onExpiry[0].template = 'feedback'));
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'TEMPLATE_LINK_OUTSIDE_FEEDBACK',
        path: '/templates/feedback/body',
        nb: expect.stringContaining('/steps/worry/timers/1/onExpiry/0'),
      }),
    ]);
  });

  it('when a feedback link is sent with a template without {{lenke}}, then the error is at the effect', () => {
    expect(
      errorsAfter((c) => (c.templates.feedback.body = 'Hvordan var det?')).map((e) => e.path),
    ).toEqual(['/steps/closed/onEnter/0/template', '/steps/closed/onEnter/1/template']);
  });

  it('when a notify goes to someone who is neither a role, the holder nor the family, then the error suggests the closest', () => {
    expect(errorsAfter((c) => (c.steps.worry.timers[1].onExpiry[0].role = 'familie'))).toEqual([
      expect.objectContaining({
        code: 'UNKNOWN_RECIPIENT',
        path: '/steps/worry/timers/1/onExpiry/0/role',
        nb: 'Det finnes ingen rolle eller mottaker «familie». Mente du «family»?',
      }),
    ]);
  });

  it('when a kommune names a role "family", then it is refused as reserved', () => {
    expect(errorsAfter((c) => (c.roles.family = { title: 'Familie' }))).toContainEqual(
      expect.objectContaining({ code: 'RESERVED_ROLE_ID', path: '/roles/family' }),
    );
  });
});
