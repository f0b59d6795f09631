// Kafka's jars from Maven Central, fetched once with Maven into a cache outside the repo
// (~/.cache/mwlab/kafka-<version>/libs) and reused by every later start.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, openSync, closeSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findBinary, tail } from '../proc.ts'
import { BrokerUnavailableError } from '../types.ts'

/** Keep in step with kafka.version in brokers/kafka/pom.xml. */
export const KAFKA_VERSION = '3.9.2'
const POM = fileURLToPath(new URL('./pom.xml', import.meta.url))
const MARKER = '.complete'
export const KAFKA_ALTERNATIVES = 'or set KAFKA_BROKERS=host:port to use a running Kafka, or `docker compose up -d kafka`'

/** MWLAB_CACHE_DIR, else $XDG_CACHE_HOME/mwlab, else ~/.cache/mwlab. */
export function cacheDir(): string {
  if (process.env.MWLAB_CACHE_DIR) return process.env.MWLAB_CACHE_DIR
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'mwlab')
}

export function libsDir(): string {
  return join(cacheDir(), `kafka-${KAFKA_VERSION}`, 'libs')
}

/** Path of `java`, or a BrokerUnavailableError saying how to install it. */
export function requireJava(): string {
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : findBinary('java')
  if (!java || !existsSync(java)) {
    throw new BrokerUnavailableError('kafka', `java not found: Kafka ${KAFKA_VERSION} needs Java 17 (apt-get install openjdk-17-jre-headless), ${KAFKA_ALTERNATIVES}`)
  }
  return java
}

export function jarsPresent(): boolean {
  return existsSync(join(libsDir(), MARKER))
}

/** Returns the libs dir, running Maven first if the jars are not cached yet. */
export async function ensureKafkaJars(log: (msg: string) => void): Promise<string> {
  const libs = libsDir()
  if (jarsPresent()) return libs
  const mvn = findBinary('mvn')
  if (!mvn) {
    throw new BrokerUnavailableError('kafka', `mvn not found: the Kafka jars are fetched from Maven Central with Maven (apt-get install maven), ${KAFKA_ALTERNATIVES}`)
  }
  const versionDir = join(libs, '..')
  mkdirSync(versionDir, { recursive: true })
  // A private temp dir, renamed when complete: a run interrupted halfway, or two `up`s at
  // once, never leave a half-filled libs dir that looks usable.
  const tmp = join(versionDir, `libs.tmp-${process.pid}`)
  const logFile = join(versionDir, 'mvn.log')
  rmSync(tmp, { recursive: true, force: true })
  log(`kafka: fetching Kafka ${KAFKA_VERSION} jars from Maven Central into ${libs} (first time only; about a minute; log ${logFile})`)
  const started = Date.now()
  const ticker = setInterval(() => log(`kafka: still fetching jars (${Math.round((Date.now() - started) / 1000)} s)`), 15_000)
  try {
    const code = await run(mvn, ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', `-Dmwlab.libs=${tmp}`], versionDir, logFile)
    if (code !== 0) {
      throw new BrokerUnavailableError('kafka', `mvn exited with code ${code} while fetching the Kafka jars; last lines of ${logFile}:\n${tail(logFile)}\n${KAFKA_ALTERNATIVES}`)
    }
    if (!existsSync(join(tmp, `kafka_2.13-${KAFKA_VERSION}.jar`))) {
      throw new BrokerUnavailableError('kafka', `mvn finished but kafka_2.13-${KAFKA_VERSION}.jar is missing from ${tmp}; see ${logFile}`)
    }
    writeFileSync(join(tmp, MARKER), `${KAFKA_VERSION}\n`)
    if (jarsPresent()) rmSync(tmp, { recursive: true, force: true }) // another `up` won the race
    else {
      rmSync(libs, { recursive: true, force: true })
      renameSync(tmp, libs)
    }
    log(`kafka: jars ready in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    return libs
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true })
    throw err
  } finally {
    clearInterval(ticker)
  }
}

function run(cmd: string, args: string[], cwd: string, logFile: string): Promise<number | null> {
  const fd = openSync(logFile, 'w')
  return new Promise<number | null>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', fd, fd] })
    child.once('error', (err) => reject(new BrokerUnavailableError('kafka', `could not run ${cmd}: ${err.message}`, { cause: err })))
    child.once('exit', (code) => resolve(code))
  }).finally(() => closeSync(fd))
}
