/**
 * The search attributes are one list in code (workflows/search-attributes.ts) and the visibility
 * queries over them are built in one module: what the worker counts and what the API lists ask
 * Temporal in the same words, and a value can never end a quoted string early.
 */
import {
  caseSearchAttributes,
  searchAttributeMismatches,
  searchAttributeRegistrations,
} from '../../workflows/search-attributes';
import { heldOpenCasesQuery, q, visibilityLiteral } from '../../workflows/visibility-query';

test('the dev servers register every attribute a case writes, with its type', () => {
  expect(Object.keys(searchAttributeRegistrations)).toEqual(
    Object.values(caseSearchAttributes).map((k) => k.name),
  );
  expect(searchAttributeRegistrations).toMatchObject({
    SluseLevel: 'Int',
    SluseMembers: 'KeywordList',
    SluseNextDueAt: 'Datetime',
    SluseOverdue: 'Bool',
  });
  expect(searchAttributeMismatches(searchAttributeRegistrations)).toEqual([]);
});

test('a quote or backslash in a value stays inside its literal', () => {
  expect(visibilityLiteral("o'brien")).toBe("'o\\'brien'");
  expect(visibilityLiteral('a\\')).toBe("'a\\\\'");
  expect(q.eq('SluseStep', "x' OR 'a'='a")).toBe("SluseStep = 'x\\' OR \\'a\\'=\\'a'");
  expect(q.eq('SluseLevel', 2)).toBe('SluseLevel = 2');
  expect(q.eq('SluseOverdue', true)).toBe('SluseOverdue = true');
});

test("the worker's count of a holder's open cases names the kommune, the pseudonym, open, running and leaves this case out", () => {
  expect(heldOpenCasesQuery('oygarden', 'pseud', 'abc')).toBe(
    "SluseKommune = 'oygarden' AND SluseHolder = 'pseud' AND SluseStatus = 'open' AND ExecutionStatus = 'Running' AND WorkflowId != 'case-oygarden-abc'",
  );
  expect(q.opened()).toMatch(/^SluseStatus IN \('open', /);
});
