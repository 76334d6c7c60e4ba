/** What a router worker tells its primary over the cluster's IPC channel. */
export type WorkerMessage =
  /** Its config snapshot is loaded and it serves. */
  | { type: 'switchyard:ready' }
  /** It was asked for GET /metrics and wants every worker's, aggregated (answered with `switchyard:metrics`). */
  | { type: 'switchyard:scrape'; id: number };

/** What the primary answers a scrape with. */
export type PrimaryMessage =
  | { type: 'switchyard:metrics'; id: number; ok: true; text: string; contentType: string }
  | { type: 'switchyard:metrics'; id: number; ok: false; error: string };

export function isWorkerMessage(message: unknown): message is WorkerMessage {
  const type = (message as { type?: unknown } | null)?.type;
  return type === 'switchyard:ready' || type === 'switchyard:scrape';
}

export function isPrimaryMessage(message: unknown): message is PrimaryMessage {
  return (message as { type?: unknown } | null)?.type === 'switchyard:metrics';
}
