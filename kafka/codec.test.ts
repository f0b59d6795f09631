// The hand-written envelope and reply checks accept what the clients send and name the
// first field wrong in anything else: the reason a poison message carries to the DLQ.
import { describe, expect, it } from 'vitest'
import { decodeEnvelope, decodeReply, encode, type Envelope } from './codec.ts'

const good: Envelope = { id: 'c.1', op: 'moderate', params: { text: 'hi' }, replyTo: 'ns.replies', replyPartition: 3, client: 'c', deadline: 1_700_000_000_000 }
const raw = (v: unknown) => Buffer.from(JSON.stringify(v))
const reason = (d: { ok: boolean; reason?: string }) => (d.ok ? 'ok' : d.reason)

describe('kafka codec', () => {
  it('decodes what encode() wrote', () => {
    expect(decodeEnvelope(encode(good))).toEqual({ ok: true, value: good })
    const { deadline: _, ...noDeadline } = good
    expect(decodeEnvelope(raw(noDeadline)).ok).toBe(true)
    expect(decodeReply(encode({ id: 'c.1', ok: { text: 'hi', hits: 0 } }))).toEqual({ ok: true, value: { id: 'c.1', ok: { text: 'hi', hits: 0 } } })
    const err = { id: 'c.2', error: { code: 'INVALID_ARGUMENT' as const, message: 'bad', field: 'text' } }
    expect(decodeReply(encode(err))).toEqual({ ok: true, value: err })
  })

  it('names the first field wrong in an envelope', () => {
    expect(reason(decodeEnvelope(null))).toBe('empty envelope')
    expect(reason(decodeEnvelope(Buffer.from('{nope')))).toMatch(/^envelope is not JSON: /)
    expect(reason(decodeEnvelope(raw([1, 2])))).toBe('invalid envelope: (root): not an object')
    const cases: [Partial<Record<keyof Envelope | 'extra', unknown>>, string][] = [
      [{ id: '' }, 'id:'],
      [{ id: 'x'.repeat(129) }, 'id:'],
      [{ op: 7 }, 'op:'],
      [{ replyTo: 'a/b' }, 'replyTo:'],
      [{ replyPartition: -1 }, 'replyPartition:'],
      [{ replyPartition: 1.5 }, 'replyPartition:'],
      [{ client: '' }, 'client:'],
      [{ deadline: 0 }, 'deadline:'],
      [{ deadline: '1' }, 'deadline:'],
      [{ extra: 1 }, 'extra: unknown field'],
    ]
    for (const [change, field] of cases) expect(reason(decodeEnvelope(raw({ ...good, ...change })))).toContain(`invalid envelope: ${field}`)
  })

  it('refuses replies of any other shape', () => {
    expect(reason(decodeReply(raw({ ok: 1 })))).toBe('invalid reply: id: must be a string')
    expect(reason(decodeReply(raw({ id: 'a', ok: 1, more: 2 })))).toBe('invalid reply: more: unknown field')
    expect(reason(decodeReply(raw({ id: 'a', error: 'boom' })))).toMatch(/^invalid reply: error: /)
    expect(reason(decodeReply(raw({ id: 'a', error: { code: 'X', message: 'm', stack: 's' } })))).toBe('invalid reply: stack: unknown field')
  })
})
