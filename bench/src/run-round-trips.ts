import { connect } from 'node:net';
import type { RoundTripSlice, RoundTripTask } from './load-task';

/**
 * One byte to the echo server and back, `samples` times, `gapMs` apart: the round trip of a loopback hop to
 * another process with nothing else in the way. With the echo server on the other core, its tail is the
 * machine's cost of waking an idle CPU — on a VM, the hypervisor's — which every request through the router
 * pays twice and a direct request never does.
 */
export async function runRoundTrips(task: RoundTripTask): Promise<RoundTripSlice> {
  const socket = connect({ host: '127.0.0.1', port: task.port, noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const rttMs: number[] = [];
  const byte = Buffer.from([1]);
  try {
    for (let i = 0; i < task.samples; i++) {
      await new Promise((resolve) => setTimeout(resolve, task.gapMs));
      const echoed = new Promise<void>((resolve, reject) => {
        socket.once('data', () => resolve());
        socket.once('error', reject);
      });
      const sentAt = performance.now();
      socket.write(byte);
      await echoed;
      rttMs.push(performance.now() - sentAt);
      socket.removeAllListeners('error');
    }
  } finally {
    socket.destroy();
  }
  return { kind: 'round-trip', rttMs };
}
