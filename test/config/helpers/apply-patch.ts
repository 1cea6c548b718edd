/** A small JSON Patch (RFC 6902: add, replace, remove) so broken configs can be written as mutations. */

export type PatchOp =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string };

export function applyPatch<T>(document: T, ops: PatchOp[]): T {
  const copy = structuredClone(document);
  for (const op of ops) {
    const segments = op.path
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = segments.pop();
    if (last === undefined) throw new Error(`patch path "${op.path}" must not be the root`);
    let parent: unknown = copy;
    for (const segment of segments) {
      parent = (parent as Record<string, unknown>)[segment];
      if (typeof parent !== 'object' || parent === null)
        throw new Error(`patch path "${op.path}" does not exist`);
    }
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (op.op === 'add') parent.splice(index, 0, op.value);
      else if (op.op === 'replace') parent[index] = op.value;
      else parent.splice(index, 1);
    } else {
      const target = parent as Record<string, unknown>;
      if (op.op !== 'add' && !(last in target))
        throw new Error(`patch path "${op.path}" does not exist`);
      if (op.op === 'remove') delete target[last];
      else target[last] = op.value;
    }
  }
  return copy;
}
