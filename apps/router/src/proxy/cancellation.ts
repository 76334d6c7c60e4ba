/**
 * What stops one client request's upstream work: the client going away or the request's deadline. It does
 * what the router needs of an AbortController (aborted, reason, listeners) without making an AbortSignal per
 * request: in Node 20 every AbortSignal survives young-generation GCs (it is an EventTarget whose prototype is
 * swapped after construction), so one per request was promoted to the old generation together with everything
 * its listeners held, and the scavenges and mark-compacts that followed paused requests for milliseconds
 * (measured in bench/; see docs/benchmarks.md). A real signal is made only when an API insists on one.
 */
export class Cancellation {
  private abortedFlag = false;
  private abortReason: unknown = undefined;
  private listeners: (() => void)[] | null = null;
  private controller: AbortController | null = null;

  get aborted(): boolean {
    return this.abortedFlag;
  }

  /** What `abort` was given (an AbortError when nothing); undefined until then. */
  get reason(): unknown {
    return this.abortReason;
  }

  /** Aborts once: later calls change nothing. Listeners run in the order they were added. */
  abort(reason: unknown = new DOMException('This operation was aborted', 'AbortError')): void {
    if (this.abortedFlag) return;
    this.abortedFlag = true;
    this.abortReason = reason;
    this.controller?.abort(reason);
    const listeners = this.listeners;
    this.listeners = null;
    if (listeners) for (const listener of listeners) listener();
  }

  /**
   * Calls `listener` once when this aborts (not at all if it already has: check `aborted` first). Remove it with
   * {@link offAbort} when the work finishes so it is not kept (no remover closure is made per listener: this runs
   * for every upstream call).
   */
  onAbort(listener: () => void): void {
    if (this.abortedFlag) return;
    if (this.listeners === null) this.listeners = [listener];
    else this.listeners.push(listener);
  }

  /** Removes a listener {@link onAbort} added; removing it again, or one never added, changes nothing. */
  offAbort(listener: () => void): void {
    const index = this.listeners?.indexOf(listener) ?? -1;
    if (index !== -1) this.listeners?.splice(index, 1);
  }

  /** An AbortSignal that follows this one, made on first use (streams and timers take only signals). */
  get signal(): AbortSignal {
    if (this.controller === null) {
      this.controller = new AbortController();
      if (this.abortedFlag) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }
}
