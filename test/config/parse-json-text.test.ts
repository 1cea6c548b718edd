import fc from 'fast-check';
import { findDuplicateKeys, parseJsonText } from '../../config';

describe('parseJsonText', () => {
  it.each([
    [
      'a value is missing',
      '{\n  "a": 1,\n  "b": \n}',
      4,
      1,
      'expected a value',
      'forventet en verdi',
    ],
    [
      'an array has a trailing comma',
      '{"a": [1, 2,]}',
      1,
      13,
      'trailing comma',
      'overflødig komma',
    ],
    [
      'a property name is not quoted',
      '{\n  id: "x"\n}',
      2,
      3,
      'double quotes',
      'doble anførselstegn',
    ],
    [
      'a string has an invalid escape',
      '{"a": "x\\q"}',
      1,
      9,
      'invalid escape',
      'ugyldig \\-sekvens',
    ],
    ['a string runs over a line break', '{"a": "x\ny"}', 1, 9, 'control character', 'linjeskift'],
    ['a string is never closed', '{"a": "x', 1, 9, 'unterminated string', 'mangler avsluttende'],
    [
      'a number has a leading zero',
      '{"a": 01}',
      1,
      8,
      'expected "," or "}"',
      'forventet "," eller "}"',
    ],
    ['text follows the document', '{"a": 1} {}', 1, 10, 'after the end', 'etter slutten'],
    ['the file is empty', '', 1, 1, 'end of the file', 'slutten av filen'],
    ['a colon is missing', '{"a" 1}', 1, 6, 'expected ":"', 'forventet ":"'],
  ])(
    'when %s, then the error says where (line %i, column %i), in English and bokmål',
    (_what, text, line, column, message, nb) => {
      const result = parseJsonText(text);
      expect(result).toEqual({
        ok: false,
        error: {
          line,
          column,
          message: expect.stringContaining(message),
          nb: expect.stringContaining(nb),
          reason: 'syntax',
        },
      });
    },
  );

  it("when keys repeat, then each later occurrence is reported with the first one's position", () => {
    const text = '{\n  "steps": {\n    "a": 1,\n    "a": 2\n  },\n  "x/y": [{"k": 1, "k": 2}]\n}';
    expect(findDuplicateKeys(text)).toEqual([
      { path: '/steps/a', key: 'a', line: 4, column: 5, first: { line: 3, column: 5 } },
      { path: '/x~1y/0/k', key: 'k', line: 6, column: 20, first: { line: 6, column: 12 } },
    ]);
  });

  it('when the same key is used in different objects, then it is not a duplicate', () => {
    expect(findDuplicateKeys('{"a": {"id": 1}, "b": {"id": 2}}')).toEqual([]);
  });

  it('when the text starts with a byte order mark, then it is read like any other', () => {
    expect(parseJsonText('\uFEFF{"a": 1}')).toMatchObject({ ok: true, value: { a: 1 } });
  });

  it('when a key is "__proto__", then it stays a plain property', () => {
    const result = parseJsonText('{"__proto__": {"polluted": true}}');
    expect(result.ok && Object.getPrototypeOf(result.value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('when nesting is absurdly deep, then it fails cleanly instead of overflowing the stack', () => {
    expect(parseJsonText('['.repeat(100_000))).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('deep'), reason: 'depth' },
    });
  });

  it('when a depth limit is given, then exactly that many objects and arrays may nest', () => {
    const nested = (n: number) => `${'{"a":'.repeat(n - 1)}[]${'}'.repeat(n - 1)}`;
    expect(parseJsonText(nested(3), { maxDepth: 3 }).ok).toBe(true);
    expect(parseJsonText(nested(4), { maxDepth: 3 })).toMatchObject({
      ok: false,
      error: { reason: 'depth', line: 1, column: 16 },
    });
  });

  it('when positions are not wanted, then duplicates are still found and no position is kept', () => {
    const result = parseJsonText('{"a": {"b": 1, "b": 2}}', { positions: false });
    expect(result).toMatchObject({ ok: true, duplicates: [{ path: '/a/b', key: 'b' }] });
    expect(result.ok && result.positions.size).toBe(0);
  });

  it('when any JSON value is serialised, then it reads back equal to JSON.parse', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        expect(parseJsonText(text)).toMatchObject({
          ok: true,
          value: JSON.parse(text),
          duplicates: [],
        });
      }),
    );
  });

  it('when any text is read, then it is accepted exactly when JSON.parse accepts it', () => {
    const jsonish = fc.stringMatching(/^[\s{}[\]",:0-9a-z\\.eE+-]{0,20}$/);
    fc.assert(
      fc.property(jsonish, (text) => {
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        expect(parseJsonText(text).ok).toBe(parses);
      }),
      { numRuns: 2000 },
    );
  });
});
