/**
 * A coordinator's view of the API for tests: open a case, send events as a given role and
 * person, and keep track of the revision the way a real client does.
 */
import { randomUUID } from 'node:crypto';
import { http, type ApiStack, type HttpResult } from './api-stack';

export interface Snapshot {
  caseId: string;
  revision: number;
  step: string;
  level: number;
  status: string;
  holder: { id: string; role: string } | null;
  allowedEvents: Array<{ type: string; targets: string[] }>;
  [key: string]: unknown;
}

export class CaseClient {
  revision = 0;
  caseId = '';

  constructor(
    private readonly stack: ApiStack,
    readonly kommune: string,
  ) {}

  get path(): string {
    return `/api/v1/kommuner/${this.kommune}/cases/${this.caseId}`;
  }

  async open(
    role: string,
    referralSource: string,
    payload: unknown,
    sub?: string,
  ): Promise<Snapshot> {
    const res = await http<Snapshot>(
      this.stack.baseUrl,
      'POST',
      `/api/v1/kommuner/${this.kommune}/cases`,
      {
        token: await this.stack.token(this.kommune, role, sub),
        body: { referralSource, payload },
        headers: { 'Idempotency-Key': randomUUID() },
      },
    );
    if (res.status !== 201)
      throw new Error(`open answered ${res.status}: ${JSON.stringify(res.body)}`);
    this.caseId = res.body.caseId;
    this.revision = res.body.revision;
    return res.body;
  }

  /** Sends an event and expects it accepted; returns the new snapshot. */
  async send(role: string, type: string, payload: unknown = {}, sub?: string): Promise<Snapshot> {
    const res = await this.trySend(role, type, payload, sub);
    if (res.status !== 200)
      throw new Error(`${type} as ${role} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async trySend(
    role: string,
    type: string,
    payload: unknown = {},
    sub?: string,
  ): Promise<HttpResult<Snapshot>> {
    const res = await http<Snapshot>(this.stack.baseUrl, 'POST', `${this.path}/events`, {
      token: await this.stack.token(this.kommune, role, sub),
      body: { type, payload, expectedRevision: this.revision },
    });
    if (res.status === 200) this.revision = res.body.revision;
    return res;
  }

  async get(role: string, sub?: string): Promise<HttpResult<Snapshot>> {
    return http<Snapshot>(this.stack.baseUrl, 'GET', this.path, {
      token: await this.stack.token(this.kommune, role, sub),
    });
  }
}

/**
 * Walks an Øygarden case opened by tjenesteyter `sub` to a follow-up talk agreed for two days
 * ago: its timer fires at once and the case is late, as when the day passes with no talk held.
 */
export async function makeOygardenCaseLate(c: CaseClient, sub: string): Promise<void> {
  await c.send(
    'tjenesteyter',
    'registrerVurdering',
    { risikofaktorer: { hoytFravaer: true, konflikterIHjemmet: true } },
    sub,
  );
  await c.send('tjenesteyter', 'registrerSamtykke', { gittAv: 'parent' }, sub);
  const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
  await c.send(
    'tjenesteyter',
    'registrerAvklaringssamtale',
    {
      utfall: 'lavterskeltiltak',
      oppfolgingsdato: new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' }).format(
        twoDaysAgo,
      ),
      tiltak: ['Mer voksenkontakt i skolen'],
    },
    sub,
  );
}
