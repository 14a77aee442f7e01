/**
 * Candidate pairs from blocking keys: every two records that share a key, each pair once.
 * Pairs are numbers in typed arrays (left < right), not strings in a set, so 50k records with
 * millions of candidates stay within memory and a second or two.
 */
export interface CandidatePairs {
  left: Uint32Array;
  right: Uint32Array;
}

export interface BlockingOptions {
  /** A key shared by more records than this is too common to say anything; it is skipped. */
  maxBlockSize?: number;
  /** For linking two files: records of the same side are never paired. */
  sideOf?: (index: number) => string | undefined;
}

export function candidatePairs(keysPerRecord: string[][], options: BlockingOptions = {}): CandidatePairs {
  const maxBlockSize = options.maxBlockSize ?? 200;
  const blocks = new Map<string, number[]>();
  keysPerRecord.forEach((keys, index) => {
    for (const key of keys) {
      const members = blocks.get(key);
      if (members) members.push(index);
      else blocks.set(key, [index]);
    }
  });
  const lastSeenBy = new Int32Array(keysPerRecord.length).fill(-1);
  const left: number[] = [];
  const right: number[] = [];
  keysPerRecord.forEach((keys, i) => {
    const side = options.sideOf?.(i);
    for (const key of keys) {
      const members = blocks.get(key)!;
      if (members.length > maxBlockSize) continue;
      for (const j of members) {
        if (j <= i || lastSeenBy[j] === i) continue;
        lastSeenBy[j] = i;
        if (side !== undefined && options.sideOf!(j) === side) continue;
        left.push(i);
        right.push(j);
      }
    }
  });
  return { left: Uint32Array.from(left), right: Uint32Array.from(right) };
}
