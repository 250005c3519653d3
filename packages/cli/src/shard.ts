/**
 * `--shard k/n`: the slice of the files one CI job analyses. A file's shard is a hash of its posix
 * path relative to the root, so it depends on nothing else: adding or removing other files moves
 * no file to another shard (round-robin over a sorted list would reshuffle everything after the
 * change), and every machine computes the same partition. Reports of the n shards are put back
 * together by `resilience merge` (merge.ts).
 */
import { createHash } from 'node:crypto';
import { UsageError } from './errors.ts';

export interface ShardSpec {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

const SHARD = /^\s*(\d+)\s*\/\s*(\d+)\s*$/;

/** Parse `k/n` (1 ≤ k ≤ n); a UsageError otherwise. */
export function parseShard(value: string): ShardSpec {
  const match = SHARD.exec(value);
  const shard = { index: Number(match?.[1]), count: Number(match?.[2]) };
  if (!match || !isValidShard(shard)) {
    throw new UsageError(`invalid --shard "${value}": expected k/n with 1 ≤ k ≤ n (e.g. --shard 2/3)`);
  }
  return shard;
}

export function isValidShard(shard: ShardSpec): boolean {
  return Number.isSafeInteger(shard.index) && Number.isSafeInteger(shard.count) && shard.count >= 1 && shard.index >= 1 && shard.index <= shard.count;
}

/** The 1-based shard a file belongs to among `count`. */
export function shardOf(file: string, count: number): number {
  if (count <= 1) return 1;
  const hash = createHash('sha256').update(file).digest();
  return (hash.readUInt32BE(0) % count) + 1;
}

export function isInShard(file: string, shard: ShardSpec | undefined): boolean {
  return shard === undefined || shardOf(file, shard.count) === shard.index;
}

export function formatShard(shard: ShardSpec): string {
  return `${shard.index}/${shard.count}`;
}
