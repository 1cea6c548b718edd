/**
 * JSON pointers (RFC 6901) are built and read in one module: config errors, payload errors,
 * request errors, the config diff and the visualizer all point with it, so a step or field
 * named with `/` or `~` is found again wherever a pointer to it is read.
 */
import fc from 'fast-check';
import {
  childPointer,
  escapePointerSegment,
  parentPointer,
  pointer,
  unescapePointerSegment,
} from '../../config/json-pointer';

test('a segment with "/" or "~" is escaped as RFC 6901 says, "~" first', () => {
  expect(escapePointerSegment('a/b')).toBe('a~1b');
  expect(escapePointerSegment('m~n')).toBe('m~0n');
  // Escaping "/" first would turn this into "~01"'s reading "~1" → "/" on the way back.
  expect(escapePointerSegment('~1')).toBe('~01');
  expect(escapePointerSegment(0)).toBe('0');
  expect(pointer('steps', 'a/b', 'on', '~x', 2)).toBe('/steps/a~1b/on/~0x/2');
  expect(childPointer('/steps/x', 'timers', 0)).toBe('/steps/x/timers/0');
  expect(parentPointer('/steps/a~1b/on')).toBe('/steps/a~1b');
  expect(parentPointer('/steps')).toBe('');
});

test('any segment read back from its pointer is the segment written', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('a', '/', '~', '0', '1', 'ø') }), (segment) => {
      const escaped = escapePointerSegment(segment);
      expect(escaped).not.toContain('/');
      expect(unescapePointerSegment(escaped)).toBe(segment);
      expect(pointer('steps', segment).split('/').map(unescapePointerSegment)).toEqual([
        '',
        'steps',
        segment,
      ]);
    }),
  );
});
