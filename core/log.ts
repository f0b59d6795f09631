// Logs go to stderr, results to stdout. MWLAB_LOG=debug|info|warn|error|silent (default info).
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 } as const
type Level = keyof typeof LEVELS

function threshold(): number {
  const v = (process.env.MWLAB_LOG ?? 'info') as Level
  return LEVELS[v] ?? LEVELS.info
}

export interface Logger {
  debug(msg: string, extra?: unknown): void
  info(msg: string, extra?: unknown): void
  warn(msg: string, extra?: unknown): void
  error(msg: string, extra?: unknown): void
}

/** JSON of a log's extra; a value JSON cannot take (a cycle, a BigInt) as String() instead of a throw. */
function json(v: unknown): string {
  try {
    return JSON.stringify(v)
  } catch {
    return String(v)
  }
}

export function createLogger(scope: string): Logger {
  const write = (level: Level, msg: string, extra?: unknown) => {
    if (LEVELS[level] < threshold()) return
    const tail = extra === undefined ? '' : ' ' + (extra instanceof Error ? `${extra.name}: ${extra.message}` : json(extra))
    process.stderr.write(`${new Date().toISOString()} ${level} [${scope}] ${msg}${tail}\n`)
  }
  return {
    debug: (m, e) => write('debug', m, e),
    info: (m, e) => write('info', m, e),
    warn: (m, e) => write('warn', m, e),
    error: (m, e) => write('error', m, e),
  }
}

/** `cause` links logError follows; a chain may be long, or even loop. */
const MAX_CAUSES = 5

/**
 * Logs `err` with its name, message, stack and `cause` chain on one line (JSON-escaped):
 * for failures that are bugs to find, where `name: message` alone says little of where
 * they came from.
 */
export function logError(log: Pick<Logger, 'error'>, msg: string, err: unknown): void {
  log.error(msg, details(err, MAX_CAUSES))
}

function details(err: unknown, causes: number): unknown {
  if (!(err instanceof Error)) return err
  const d: Record<string, unknown> = { name: err.name, message: err.message, stack: err.stack }
  if (err.cause !== undefined) d.cause = causes > 0 ? details(err.cause, causes - 1) : '(further causes left out)'
  return d
}
