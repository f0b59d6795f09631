// One JSON file per run, named by date, middleware, operation and mode, never overwriting
// an earlier one.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { StressResult } from './result.ts'

export const DEFAULT_OUT_DIR = 'results'

/** 2026-11-23T11:30:05.123Z -> 20261123-113005 (UTC), sortable and safe in file names. */
export function stamp(iso: string): string {
  return iso.replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
}

export function resultFileName(r: StressResult): string {
  return `${stamp(r.createdAt)}-${r.middleware}-${r.op}-${r.mode}`
}

/** Writes `data` as `<dir>/<base>.json` (or `<base>-2.json`, ... if taken); returns the path. */
export function writeJson(dir: string, base: string, data: unknown): string {
  mkdirSync(dir, { recursive: true })
  let path = join(dir, `${base}.json`)
  for (let i = 2; existsSync(path); i++) path = join(dir, `${base}-${i}.json`)
  writeFileSync(path, JSON.stringify(data, null, 2) + '\n')
  return path
}

export function writeResult(dir: string, r: StressResult): string {
  return writeJson(dir, resultFileName(r), r)
}
