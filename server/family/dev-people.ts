/**
 * The development provider's test people (runtime/family-dev-idp.ts), made up: names and
 * fødselsnumre belong to no one. The youths' birth dates follow today, so the one who is 15
 * stays 15 and the one who is 14 stays 14.
 *
 * @module
 */

export const DEV_IDP_CLIENT_ID = 'sluse-familie-dev';
/** Not a secret: the development provider runs only on this machine. */
export const DEV_IDP_CLIENT_SECRET = 'dev-secret-not-for-production';
/** Where the provider sends the family back after sign-in (one path for every kommune). */
export const FAMILY_CALLBACK_PATH = '/familie/innlogging/tilbake';

export interface DevTestPerson {
  /** The provider's account id (its `sub`); the button's value on the login page. */
  id: string;
  name: string;
  /** A made-up fødselsnummer, as ID-porten's `pid` claim. */
  pid: string;
  /** YYYY-MM-DD */
  birthdate: string;
  description: string;
}

function yearsBefore(today: Date, years: number, days: number): string {
  const d = new Date(
    Date.UTC(today.getUTCFullYear() - years, today.getUTCMonth(), today.getUTCDate()),
  );
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** Made-up 11-digit numbers with the birth date in front, month + 80 like synthetic test numbers. */
function fakePid(birthdate: string, tail: string): string {
  const [y, m, d] = birthdate.split('-');
  return `${d}${String(Number(m) + 80)}${y.slice(2)}${tail}`;
}

export function devTestPeople(today: Date): DevTestPerson[] {
  const people = [
    {
      id: 'forelder-a',
      name: 'Kari Testforelder',
      birthdate: '1984-03-12',
      description: 'forelder (voksen), familie A',
      tail: '49107',
    },
    {
      id: 'forelder-b',
      name: 'Ola Annenfamilie',
      birthdate: '1979-11-02',
      description: 'forelder (voksen) i en annen familie, B',
      tail: '38251',
    },
    {
      id: 'ungdom-15',
      name: 'Sara Testungdom',
      birthdate: yearsBefore(today, 15, 30),
      description: 'ungdom, 15 år',
      tail: '61834',
    },
    {
      id: 'ungdom-14',
      name: 'Jonas Testungdom',
      birthdate: yearsBefore(today, 14, 30),
      description: 'ungdom, 14 år',
      tail: '72945',
    },
  ];
  return people.map(({ tail, ...p }) => ({ ...p, pid: fakePid(p.birthdate, tail) }));
}
