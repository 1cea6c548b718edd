/** The text helpers config checks write their messages with (config/text.ts). */
import { asSentence, capitalize } from '../../config/text';

describe('config message text helpers', () => {
  it('capitalize upper-cases the first letter only, Norwegian letters too', () => {
    expect(capitalize('hendelsen «BOOK_TALK»')).toBe('Hendelsen «BOOK_TALK»');
    expect(capitalize('ønsket dato')).toBe('Ønsket dato');
    expect(capitalize('')).toBe('');
  });

  it('asSentence makes a clause one sentence with one full stop', () => {
    expect(asSentence('kan ikke ha færre enn 1 element')).toBe('Kan ikke ha færre enn 1 element.');
    expect(asSentence('må være et tall.')).toBe('Må være et tall.');
  });
});
