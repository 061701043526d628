// Suggest the closest known name for a misspelt one, or nothing when no candidate is close enough
// to be a plausible typo (a wild guess is worse than no hint).
import { distance } from 'fastest-levenshtein';

export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  // Levenshtein counts a transposition (`dpes` → `deps`) as 2 edits, so short names need a floor of 2.
  const limit = Math.max(2, Math.ceil(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === name) return candidate;
    const d = candidate.toLowerCase() === lower ? 0.5 : distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** `did you mean 'deps'?` or undefined, ready to be an error's hint. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const match = closestName(name, candidates);
  return match === undefined ? undefined : `did you mean '${match}'?`;
}
