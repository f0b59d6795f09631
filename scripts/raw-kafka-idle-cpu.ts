// How much CPU the raw Kafka calibration baseline costs while it sits idle (as it does during
// the middleware's windows), with its echo server polling or paused:
//   node --import tsx scripts/raw-kafka-idle-cpu.ts [poll|pause]   (KAFKA_BROKERS, default 127.0.0.1:19092)
// Prints this process's CPU and the local Kafka broker's over 10 idle seconds.
import { execSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { connectRaw, startKafkaEcho } from '../stress/calibrate/kafka-raw.ts'
import { cpuSecondsOfStat } from './proc-cpu.ts'

const pause = process.argv[2] === 'pause'
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:19092'
const brokerPid = execSync('pgrep -f kafka.Kafka').toString().trim().split('\n')[0]
const brokerCpuMs = () => Math.round(cpuSecondsOfStat(readFileSync(`/proc/${brokerPid}/stat`, 'utf8')) * 1000)
const echo = await startKafkaEcho(brokers)
const client = await connectRaw(echo.address, { op: 'moderate', payload: 'simple', cost: { cpuMicros: 0, ioMillis: 0 }, seed: 1 }, 1)
await client.caller('warm', new AbortController().signal)
if (pause) echo.pause?.()
await new Promise((r) => setTimeout(r, 1000))
const own0 = process.cpuUsage()
const broker0 = brokerCpuMs()
await new Promise((r) => setTimeout(r, 10_000))
const own = process.cpuUsage(own0)
console.log(`echo server ${pause ? 'paused' : 'polling'}: this process ${Math.round((own.user + own.system) / 1000)} ms, broker ${brokerCpuMs() - broker0} ms of CPU in 10 s`)
await client.close()
await echo.close()
