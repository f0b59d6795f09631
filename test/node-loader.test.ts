// Named imports from packages must be ones Node's own ESM loader sees. For a CommonJS package
// it guesses them from the source text, and misses exports built at run time (kafkajs's error
// classes); whether such an import fails then depends on whether something had require()d the
// package first. Vitest's loader always allows it, so a test run cannot catch it: this check
// imports each package through Node's own loader, in a process that loads nothing else, and
// looks for every name the sources import.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..')
const SKIP = new Set(['node_modules', 'runs', 'results', '.mwlab', '.git'])

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return SKIP.has(e.name) ? [] : sources(join(dir, e.name))
    return /\.(ts|mts|mjs|js|cjs)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : []
  })
}

/** package -> value names imported from it anywhere in the sources */
function namedImports(): Record<string, string[]> {
  const byPkg: Record<string, Set<string>> = {}
  for (const file of sources(ROOT)) {
    // import { a, b as c } from 'pkg', import d, { a } from 'pkg', export { a } from 'pkg'; either quote
    for (const m of readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s+(?:[\w$]+\s*,\s*)?\{([^}]*)\}\s*from\s*['"]([^'".][^'"]*)['"]/gm)) {
      const names = m[1]
        .replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s && !s.startsWith('type '))
        .map((s) => s.split(/\s+as\s+/)[0])
      for (const n of names) (byPkg[m[2]] ??= new Set()).add(n)
    }
  }
  return Object.fromEntries(Object.entries(byPkg).map(([p, s]) => [p, [...s].sort()]))
}

describe('named imports from packages', () => {
  it('are all exports Node’s ESM loader sees', { timeout: 60_000 }, () => {
    const wanted = namedImports()
    expect(Object.keys(wanted)).toContain('kafkajs')
    const script = `const wanted = ${JSON.stringify(wanted)}; const missing = [];
      for (const [pkg, names] of Object.entries(wanted)) {
        const m = await import(pkg);
        for (const n of names) if (!(n in m)) missing.push(pkg + ': ' + n);
      }
      process.stdout.write(JSON.stringify(missing))`
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' })
    expect(JSON.parse(out)).toEqual([])
  })
})
