// The dead-letter topic `<ns>.dlq`: a message a node could not (or would not) serve is
// copied there unchanged, with why and where from in its headers, so the consumer can
// carry on and a person can still inspect what went wrong.
import type { IHeaders, KafkaMessage } from 'kafkajs'
import type { BatchProducer } from './batch-producer.ts'

export const DLQ_REASON = 'mwlab-dlq-reason'
export const DLQ_SOURCE = 'mwlab-dlq-source'
export const DLQ_AT = 'mwlab-dlq-at'

export interface Source {
  topic: string
  partition: number
  offset: string
}

export function deadLetter(producer: BatchProducer, dlqTopic: string, m: KafkaMessage, source: Source, reason: string): Promise<void> {
  const headers: IHeaders = {
    ...m.headers,
    [DLQ_REASON]: reason.slice(0, 1000),
    [DLQ_SOURCE]: `${source.topic}/${source.partition}@${source.offset}`,
    [DLQ_AT]: new Date().toISOString(),
  }
  return producer.send(dlqTopic, { key: m.key, value: m.value, headers })
}

/** A header value as text (kafkajs hands them over as Buffers). */
export function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const v = headers?.[name]
  if (v === undefined) return undefined
  return (Array.isArray(v) ? v[0] : v)?.toString()
}
