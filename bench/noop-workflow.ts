/** The baseline for benchmarks: a workflow that only counts updates, as cheap as Temporal allows. */
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

export const noopUpdate = defineUpdate<number, [number]>('noop');
export const noopOpenUpdate = defineUpdate<number, []>('noopOpen');

export async function noopWorkflow(): Promise<void> {
  let revision = 0;
  setHandler(noopOpenUpdate, () => ++revision);
  setHandler(noopUpdate, (expected) => {
    revision = expected + 1;
    return revision;
  });
  await condition(() => false);
}
