/**
 * The order in which a round runs its cells: cells compared with each
 * other form a group and run back to back, so that load drifting during a
 * round touches them alike; the groups rotate from round to round, and
 * every other round runs each group backwards, so no cell always runs
 * first.
 */

/** The cells of `groups` in the order of round `round` (from 0). */
export function roundOrder<T>(groups: readonly T[][], round: number): T[] {
  const shift = round % groups.length;
  const rotated = [...groups.slice(shift), ...groups.slice(0, shift)];
  return rotated.flatMap((group) =>
    round % 2 === 0 ? group : [...group].reverse(),
  );
}
