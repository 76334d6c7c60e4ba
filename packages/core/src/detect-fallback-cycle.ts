/** A route's backup-model configuration, as far as cycle detection needs it. */
export interface FallbackEdge {
  /** The route's public model name (aliases already resolved to it). */
  publicModel: string;
  /** Approved backup models, as public model names. */
  backupModels: readonly string[];
}

/**
 * Finds a cycle in backup-model configuration (a → b → a, or a route listing itself), which is rejected when
 * saved. Returns the cycle as a path that starts and ends on the same model, e.g. ['a', 'b', 'a'], or null.
 * Deterministic: routes and backups are explored in the given order, so the same config reports the same
 * cycle. Backups naming no listed route are leaves. Callers resolve aliases to public models first.
 */
export function detectFallbackCycle(routes: readonly FallbackEdge[]): string[] | null {
  const edges = new Map<string, string[]>();
  for (const route of routes) {
    const list = edges.get(route.publicModel);
    if (list) list.push(...route.backupModels);
    else edges.set(route.publicModel, [...route.backupModels]);
  }
  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Map<string, number>();

  const visit = (model: string): string[] | null => {
    const at = onPath.get(model);
    if (at !== undefined) return [...path.slice(at), model];
    if (done.has(model)) return null;
    onPath.set(model, path.length);
    path.push(model);
    for (const next of edges.get(model) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    onPath.delete(model);
    done.add(model);
    return null;
  };

  for (const route of routes) {
    const cycle = visit(route.publicModel);
    if (cycle) return cycle;
  }
  return null;
}
