// Waiting for something for a bounded time: closing a connection whose broker may be gone,
// draining in-flight work before a stop. The timer is cleared as soon as the wait ends and
// never holds the process open.

/** `p`'s value if it settles within `ms` (a rejection passes through), undefined if not. */
export async function atMost<T>(p: Promise<T>, ms: number): Promise<{ value: T } | undefined> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms)
    timer.unref()
  })
  try {
    return await Promise.race([p.then((value) => ({ value })), late])
  } finally {
    clearTimeout(timer)
  }
}
