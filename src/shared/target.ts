/**
 * The DataCosmos target of a purchase: the API it is ordered on and the organisation it is ordered for. The local
 * simulator, a test environment and the real account are different targets, and they may share one Temporal
 * server: each target has task queues of its own (`<base>/<target>`, and the DataCosmos and claims queues beside
 * them), so a purchase started for one target is only ever run by workers configured for it. Its claim registries
 * are keyed by that queue too, so an item claimed on one target is not held on another.
 */

export interface DataCosmosTarget {
  apiUrl: string;
  organisationId: number;
}

/** `1001@127.0.0.1:8787`, `42@app.open-cosmos.com`: the organisation at the API's host (and path, if any). */
export function targetName(target: DataCosmosTarget): string {
  const url = new URL(target.apiUrl);
  return `${target.organisationId}@${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** The workflows' task queue of a target: the configured base name and the target, e.g. `datacosmos-purchase/42@app.open-cosmos.com`. */
export function targetTaskQueue(base: string, target: DataCosmosTarget): string {
  return `${base}/${targetName(target)}`;
}
