// The Lua scripts that make the work queue reliable: each runs atomically in Redis, so a
// worker dying between two commands cannot leave a job both answered and still pending,
// or moved out of one list without landing in the other.
import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'

export interface Script {
  lua: string
  sha: string
}

function script(lua: string): Script {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') }
}

/** EVALSHA, falling back to EVAL the first time a broker has not seen the script. */
export async function runScript(redis: Redis, s: Script, keys: string[], args: (string | number | Buffer)[]): Promise<unknown> {
  try {
    return await redis.evalsha(s.sha, keys.length, ...keys, ...args)
  } catch (err) {
    if (!(err as Error).message?.startsWith('NOSCRIPT')) throw err
    return redis.eval(s.lua, keys.length, ...keys, ...args)
  }
}

/**
 * Moves up to ARGV[1] jobs from the queue (KEYS[1], consumed from the right) into a
 * worker's processing hash (KEYS[2]) in a few commands instead of one move per job, each
 * under a field of its own: the decimal numbers from ARGV[2] up, oldest first. The
 * completion then names a job by its field (a few bytes) instead of sending the whole job
 * back for an LREM. Returns the jobs oldest first, the order they were sent in.
 * - Idempotent: run again with the same ARGV[2] (ioredis resends a command whose reply a
 *   dropped connection lost), it returns the jobs that range already holds instead of
 *   taking more over them.
 * - The jobs are in the hash before they leave the queue: a failing HSET loses nothing.
 */
export const TAKE_JOBS = script(`
local first = tonumber(ARGV[2])
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then
  local again = {}
  for i = 0, tonumber(ARGV[1]) - 1 do
    local v = redis.call('HGET', KEYS[2], string.format('%d', first + i))
    if not v then break end
    again[#again + 1] = v
  end
  return again
end
local items = redis.call('LRANGE', KEYS[1], -tonumber(ARGV[1]), -1)
if #items == 0 then return items end
local fields = {}
local oldestFirst = {}
for i = #items, 1, -1 do
  fields[#fields + 1] = string.format('%d', first + #oldestFirst)
  fields[#fields + 1] = items[i]
  oldestFirst[#oldestFirst + 1] = items[i]
end
for i = 1, #fields, 1000 do
  -- in slices: unpack takes a few thousand values at most
  redis.call('HSET', KEYS[2], unpack(fields, i, math.min(i + 999, #fields)))
end
redis.call('LTRIM', KEYS[1], 0, -#items - 1)
return oldestFirst`)

/**
 * Finishes a batch of jobs atomically: the answers go out and the jobs leave the
 * processing hash in one step, so a worker dying in between cannot exist. KEYS: the
 * processing hash, the redeliveries hash, then the reply lists. ARGV: reply-list TTL,
 * done-key prefix, then per job: reply-list index in KEYS, job id, processing field,
 * reply ('' = drop, no answer), done-key TTL.
 * Only a job that was ever put back on the queue (its sha1 is in the redeliveries hash)
 * can exist twice, so only such a job pays for a done key (SET NX PX): the first copy to
 * finish answers, any other copy is dropped. A job no longer in the hash was put back
 * while this worker still ran it (the reaper thought it dead): it counts as put back.
 */
export const COMPLETE_JOBS = script(`
local marked = redis.call('EXISTS', KEYS[2]) == 1
local out = {}
local fields = {}
local answered = 0
for i = 3, #ARGV, 5 do
  local reply = ARGV[i + 3]
  if reply ~= '' then
    local send = true
    if marked then
      local raw = redis.call('HGET', KEYS[1], ARGV[i + 2])
      if not raw or redis.call('HEXISTS', KEYS[2], redis.sha1hex(raw)) == 1 then
        send = redis.call('SET', ARGV[2] .. ARGV[i + 1], '1', 'NX', 'PX', ARGV[i + 4]) ~= false
      end
    end
    if send then
      local k = tonumber(ARGV[i])
      out[k] = out[k] or {}
      out[k][#out[k] + 1] = reply
      answered = answered + 1
    end
  end
  fields[#fields + 1] = ARGV[i + 2]
end
if #fields > 0 then redis.call('HDEL', KEYS[1], unpack(fields)) end
for k, replies in pairs(out) do
  redis.call('LPUSH', KEYS[k], unpack(replies))
  redis.call('PEXPIRE', KEYS[k], ARGV[1])
end
return answered`)

/** Moves a job from a processing hash (KEYS[1], field ARGV[1]) to the dead list (KEYS[2], capped at ARGV[3]). */
export const BURY = script(`
redis.call('LPUSH', KEYS[2], ARGV[2])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[3]) - 1)
return redis.call('HDEL', KEYS[1], ARGV[1])`)

/**
 * Lua shared by RETURN_ALL and REAP: puts the jobs of processing hash `proc` back on the
 * queue, oldest served first, counting each in the redeliveries hash by `inc` (0: a
 * graceful return is no failure; 1: its worker died). A job counted more than `max`
 * times (it keeps killing workers) goes to the dead list instead. Returns returned, buried.
 */
const RETURN_HELD = `
local function returnHeld(proc, jobs, redeliveries, dead, inc, max, now, cap, ttl)
  local all = redis.call('HGETALL', proc)
  local held = {}
  for i = 1, #all, 2 do held[#held + 1] = { tonumber(all[i]) or 0, all[i + 1] } end
  table.sort(held, function(a, b) return a[1] > b[1] end)
  local returned, buried = 0, 0
  for _, e in ipairs(held) do
    local v = e[2]
    local times = redis.call('HINCRBY', redeliveries, redis.sha1hex(v), inc)
    if times > max then
      redis.call('LPUSH', dead, cjson.encode({ raw = string.sub(v, 1, 4096), reason = 'redelivered ' .. times .. ' times: every worker holding it died', at = now }))
      buried = buried + 1
    else
      redis.call('RPUSH', jobs, v)
      returned = returned + 1
    end
  end
  redis.call('DEL', proc)
  if returned + buried > 0 then
    redis.call('PEXPIRE', redeliveries, ttl)
    redis.call('LTRIM', dead, 0, cap - 1)
  end
  return returned, buried
end
`

/**
 * Returns every job of a processing hash to the queue (RETURN_HELD). KEYS: the processing
 * hash, jobs, redeliveries hash, dead. ARGV: count (0 on a graceful stop, where a copy may
 * still be finishing; 1 for what a dead process with this worker's id left), max
 * redeliveries, now, dead-list cap, redeliveries TTL. Returns { returned, buried }.
 */
export const RETURN_ALL = script(`${RETURN_HELD}
local returned, buried = returnHeld(KEYS[1], KEYS[2], KEYS[3], KEYS[4], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5])
return { returned, buried }`)

/**
 * The reaper. KEYS: workers set, jobs, dead, redeliveries hash. ARGV: key prefix, max
 * redeliveries, now, dead-list cap, redeliveries TTL. For every registered worker whose
 * heartbeat key has expired, its processing hash goes back to the queue (RETURN_HELD,
 * counted as a failure). Returns a flat list: workerId, returned, buried, ...
 */
export const REAP = script(`${RETURN_HELD}
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. 'worker:' .. id) == 0 then
    local returned, buried = returnHeld(ARGV[1] .. 'processing:' .. id, KEYS[2], KEYS[4], KEYS[3], 1, tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5])
    redis.call('SREM', KEYS[1], id)
    out[#out + 1] = id
    out[#out + 1] = returned
    out[#out + 1] = buried
  end
end
return out`)

/** Takes or keeps the store-owner lock (KEYS[1]) for node ARGV[1], for ARGV[2] ms. 1 = held. */
export const HOLD_OWNER = script(`
local cur = redis.call('GET', KEYS[1])
if cur == false or cur == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`)

/** Releases the store-owner lock if this node (ARGV[1]) holds it. */
export const RELEASE_OWNER = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)
