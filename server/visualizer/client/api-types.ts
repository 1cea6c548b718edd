/**
 * The coordinators' API responses the pages read (server/api-schemas.ts is the source; these are
 * the fields used here). Kept as types only, so nothing of the server is bundled into the page.
 */
import type { CaseHistory, CaseList, CaseSnapshot, CaseSummary } from '../../api-schemas';
import type { KommuneConfig } from '../../../config/types';

export type { CaseHistory, CaseList, CaseSnapshot, CaseSummary };
export type HistoryEntry = CaseHistory['entries'][number];
export type AllowedEventView = CaseSnapshot['allowedEvents'][number];

export interface ConfigResponse {
  kommune: string;
  version: number;
  config: KommuneConfig;
}
