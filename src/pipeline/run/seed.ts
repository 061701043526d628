// A stage instance's seed: a hash of the profile seed and the instance id, so every instance gets
// its own stream, stable across reruns and independent of scheduling order.
import { createHash } from 'node:crypto';

export function deriveSeed(profileSeed: number, instanceId: string): number {
  return createHash('sha256').update(`${profileSeed}\0${instanceId}`).digest().readUInt32LE(0);
}
