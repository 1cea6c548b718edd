/**
 * `GET …/cases/{caseId}/export` and `…/export.html`: a copy of everything held about a case
 * (server/case-export.ts), for a family member of the case (their right of access) and for
 * staff who may read the case (to hand over on the family's request). Each copy is one read in
 * the access log; a case you may not read answers as missing, and nothing is logged.
 *
 * @module
 */
import { z } from 'zod';
import { CaseParams } from './api-schemas';
import type { Principal } from './authenticate';
import { buildCaseExport, caseExportHtml, CaseExport } from './case-export';
import { configOfCase } from './config-source';
import type { FamilyRoutesDeps } from './family/family-view-route';
import { defineRoute, type RouteDef } from './route-definition';

export function caseExportRoutes(deps: FamilyRoutesDeps): RouteDef[] {
  async function exportOf(principal: Principal, params: { kommune: string; caseId: string }) {
    const { snapshot, entries, access } = await deps.cases.exportCase(
      principal,
      params.kommune,
      params.caseId,
    );
    // In the words of the config version the case runs on.
    const config = await configOfCase(deps.configs, access, snapshot.configVersion);
    const reads = deps.caseReads ? await deps.caseReads.ofCase(params.kommune, params.caseId) : [];
    return buildCaseExport({
      config,
      snapshot,
      entries,
      reads,
      readerRole: principal.role,
      now: new Date().toISOString(),
    });
  }

  const description =
    'For family roles of the case and for staff who may read it: the case as it stands, what was ' +
    'recorded, consents, the whole stafettlogg in the config’s words, the messages sent, and who read ' +
    'the case. Staff appear by role, never by name. Each copy is recorded in the access log ("export").';
  return [
    defineRoute({
      method: 'get',
      path: '/kommuner/:kommune/cases/:caseId/export',
      operationId: 'exportCase',
      summary: 'A copy of everything held about the case (right of access), as JSON',
      description,
      params: CaseParams,
      query: z.strictObject({}),
      success: { status: 200, schema: CaseExport },
      errors: [404],
      handler: ({ params, principal }) => exportOf(principal, params),
    }),
    defineRoute({
      method: 'get',
      path: '/kommuner/:kommune/cases/:caseId/export.html',
      operationId: 'exportCaseDocument',
      summary: 'The same copy as a plain document in bokmål, to print or keep',
      description,
      params: CaseParams,
      query: z.strictObject({}),
      success: { status: 200, stream: true, mediaType: 'text/html' },
      errors: [404],
      handler: async ({ params, principal, res }) => {
        const doc = await exportOf(principal, params);
        res
          .status(200)
          .type('text/html; charset=utf-8')
          .setHeader('Content-Disposition', `attachment; filename="sak-${doc.caseId}.html"`)
          .setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
          .send(caseExportHtml(doc));
      },
    }),
  ];
}
