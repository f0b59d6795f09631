// amqplib's multiplexer writes every frame to the socket with its own write() (one
// syscall each: publish, reply and ack make three per call). Corking the socket around
// each multiplexer pass turns all frames queued in one event-loop turn into a single
// writev. It touches amqplib internals (0.10: connection.muxer), so it checks their shape
// and does nothing if they differ.
import type { ChannelModel } from 'amqplib'
import type { Logger } from '../core/log.ts'

interface MuxLike {
  out?: { cork?: () => void; uncork?: () => void }
  _readIncoming?: () => void
}

export function coalesceWrites(model: ChannelModel, log: Logger): void {
  const mux = (model.connection as unknown as { muxer?: MuxLike }).muxer
  const out = mux?.out
  const pass = mux?._readIncoming
  if (!mux || typeof pass !== 'function' || typeof out?.cork !== 'function' || typeof out.uncork !== 'function') {
    log.debug('amqplib internals differ; socket writes are not coalesced')
    return
  }
  mux._readIncoming = function (this: MuxLike) {
    out.cork!()
    try {
      pass.call(this)
    } finally {
      out.uncork!()
    }
  }
}
