/**
 * Config durations as people read them on the pages ("innen 6 måneder", never "innen P6M").
 */
import { durationWords } from '../../config/duration';

describe('durationWords', () => {
  it('when a duration has one part, then it reads as a number and a unit, singular for one', () => {
    expect(durationWords('P6M')).toBe('6 måneder');
    expect(durationWords('P1M')).toBe('1 måned');
    expect(durationWords('P3W')).toBe('3 uker');
    expect(durationWords('PT1H')).toBe('1 time');
  });

  it('when a duration has several parts, then they are joined with "og" at the end', () => {
    expect(durationWords('P1Y6M')).toBe('1 år og 6 måneder');
    expect(durationWords('P1Y2M3D')).toBe('1 år, 2 måneder og 3 dager');
  });

  it('when days are working days, then the words say so', () => {
    expect(durationWords('P10D', 'working')).toBe('10 virkedager');
    expect(durationWords('P1D', 'working')).toBe('1 virkedag');
  });

  it('when the text is no duration, then it comes back unchanged', () => {
    expect(durationWords('ressursteam-nord')).toBe('ressursteam-nord');
  });
});
