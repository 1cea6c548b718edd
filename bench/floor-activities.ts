/** The floor workflow's log write: takes the entries and does nothing, so only Temporal's part is measured. */
export const floorActivities = {
  async writeLogFloor(caseId: string, entries: unknown[]): Promise<number> {
    return caseId.length + entries.length;
  },
};
