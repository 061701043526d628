// Which tfjs backends give the same bytes on every run. Stages record the backend they ran on in
// the `provenance.backend.name` of their JSON outs (meta.json, metrics.json). tfjs-node /
// tfjs-node-gpu (`tensorflow`) use libtensorflow's multi-threaded and GPU kernels, whose float
// reductions are not ordered the same from run to run; wasm and cpu are deterministic here.
import { readFileSync } from 'node:fs';

export const NOT_BIT_DETERMINISTIC = ['tensorflow'] as const;

/** The backend named in the provenance of any JSON out, or undefined. */
export function backendOfOuts(outs: Record<string, string>): string | undefined {
  const jsons = Object.values(outs).filter((p) => p.endsWith('.json'));
  for (const f of jsons) {
    try {
      const j = JSON.parse(readFileSync(f, 'utf8')) as { provenance?: { backend?: { name?: unknown } | string } };
      const b = j?.provenance?.backend;
      const name = typeof b === 'string' ? b : b?.name;
      if (typeof name === 'string') return name;
    } catch {
      // not JSON we can read: look at the next one
    }
  }
  return undefined;
}

/** For reproCheck: the backend's name when the outs came from a non-bit-deterministic one. */
export function nondeterministicBackend(outs: Record<string, string>): string | undefined {
  const name = backendOfOuts(outs);
  return name && (NOT_BIT_DETERMINISTIC as readonly string[]).includes(name) ? name : undefined;
}
