import { ApiError } from '@cs/platform/core';
import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';

export const NESTING_FLAGS = [
  'active_states',
  'completed_states',
  'active_tasks',
  'completed_tasks',
] as const;
export type NestingFlag = (typeof NESTING_FLAGS)[number];

/** A `true`/`false` query flag (case-insensitive, spec §2.8); absent means false. */
export function booleanFlag(query: Record<string, unknown>, name: string): boolean {
  const value = query[name];
  if (value === undefined) return false;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  throw ApiError.invalidParameter(name, 'must be true or false');
}

export function nestingFlags(query: Record<string, unknown>): Record<NestingFlag, boolean> {
  return Object.fromEntries(NESTING_FLAGS.map((flag) => [flag, booleanFlag(query, flag)])) as Record<
    NestingFlag,
    boolean
  >;
}

/** Documents the four nesting flags (spec §2.8) on an operation. */
export const ApiNestingFlags = () =>
  applyDecorators(...NESTING_FLAGS.map((name) => ApiQuery({ name, required: false, type: Boolean })));
