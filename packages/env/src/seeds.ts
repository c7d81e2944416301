/**
 * Episode seeds. Training episode i (0-based) uses base + i, as the original; evaluation uses
 * a disjoint held-out range, so no policy is evaluated on a workload it trained on (the
 * original evaluated on training seeds, reference §16.1 item 4). Every policy in a comparison gets the
 * SAME evaluation seeds (paired comparison, fixing §16.1 item 5).
 */
export const EVALUATION_SEED_OFFSET = 1_000_000;

export function trainingSeeds(base: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => base + i);
}

export function evaluationSeeds(base: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => base + EVALUATION_SEED_OFFSET + i);
}
