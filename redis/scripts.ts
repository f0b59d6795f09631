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
export async function runScript(redis: Redis, s: Script, keys: string[], args: (string | number)[]): Promise<unknown> {
  try {
    return await redis.evalsha(s.sha, keys.length, ...keys, ...args)
  } catch (err) {
    if (!(err as Error).message?.startsWith('NOSCRIPT')) throw err
    return redis.eval(s.lua, keys.length, ...keys, ...args)
  }
}

/**
 * Moves up to ARGV[1] jobs from the queue (KEYS[1], consumed from the right) into a
 * worker's processing list (KEYS[2]) in three commands instead of one LMOVE per job.
 * Returns them oldest first, the order they were sent in.
 */
export const TAKE_JOBS = script(`
local items = redis.call('LRANGE', KEYS[1], -tonumber(ARGV[1]), -1)
if #items == 0 then return items end
redis.call('LTRIM', KEYS[1], 0, -#items - 1)
redis.call('LPUSH', KEYS[2], unpack(items))
local oldestFirst = {}
for i = #items, 1, -1 do oldestFirst[#oldestFirst + 1] = items[i] end
return oldestFirst`)

/**
 * Finishes a batch of jobs atomically: the answers go out and the jobs leave the
 * processing list in one step, so a worker dying in between cannot exist. KEYS: the
 * processing list, the redeliveries hash, then the reply lists. ARGV: reply-list TTL,
 * done-key prefix, then per job: reply-list index in KEYS, job id, raw message, reply
 * ('' = drop, no answer), done-key TTL.
 * Only a job that was ever put back on the queue (its sha1 is in the redeliveries hash)
 * can exist twice, so only such a job pays for a done key (SET NX PX): the first copy to
 * finish answers, any other copy is dropped.
 */
export const COMPLETE_JOBS = script(`
local marked = redis.call('EXISTS', KEYS[2]) == 1
local out = {}
local answered = 0
for i = 3, #ARGV, 5 do
  local reply = ARGV[i + 3]
  local raw = ARGV[i + 2]
  if reply ~= '' then
    local send = true
    if marked and redis.call('HEXISTS', KEYS[2], redis.sha1hex(raw)) == 1 then
      send = redis.call('SET', ARGV[2] .. ARGV[i + 1], '1', 'NX', 'PX', ARGV[i + 4]) ~= false
    end
    if send then
      local k = tonumber(ARGV[i])
      out[k] = out[k] or {}
      out[k][#out[k] + 1] = reply
      answered = answered + 1
    end
  end
  redis.call('LREM', KEYS[1], -1, raw)
end
for k, replies in pairs(out) do
  redis.call('LPUSH', KEYS[k], unpack(replies))
  redis.call('PEXPIRE', KEYS[k], ARGV[1])
end
return answered`)

/** Moves a message from a processing list (KEYS[1]) to the dead list (KEYS[2], capped at ARGV[3]). */
export const BURY = script(`
redis.call('LPUSH', KEYS[2], ARGV[2])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[3]) - 1)
return redis.call('LREM', KEYS[1], -1, ARGV[1])`)

/**
 * Returns every job of a processing list (KEYS[1]) to the front of the queue (KEYS[2]),
 * oldest served first, marking each in the redeliveries hash (KEYS[3], +0: a graceful
 * return is no failure) because a copy may still be finishing.
 */
export const RETURN_ALL = script(`
local n = 0
while true do
  local v = redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT')
  if not v then break end
  redis.call('HINCRBY', KEYS[3], redis.sha1hex(v), 0)
  n = n + 1
end
if n > 0 then redis.call('PEXPIRE', KEYS[3], ARGV[1]) end
return n`)

/**
 * The reaper. KEYS: workers set, jobs, dead, redeliveries hash. ARGV: key prefix, max
 * redeliveries, now, dead-list cap, redeliveries TTL. For every registered worker whose heartbeat key has
 * expired, its processing list goes back to the front of the queue; a job returned more
 * than max times (it keeps killing workers) goes to the dead list instead. Returns a flat
 * list: workerId, returned, buried, ...
 */
export const REAP = script(`
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. 'worker:' .. id) == 0 then
    local proc = ARGV[1] .. 'processing:' .. id
    local returned, buried = 0, 0
    while true do
      local v = redis.call('LPOP', proc)
      if not v then break end
      local times = redis.call('HINCRBY', KEYS[4], redis.sha1hex(v), 1)
      if times > tonumber(ARGV[2]) then
        redis.call('LPUSH', KEYS[3], cjson.encode({ raw = string.sub(v, 1, 4096), reason = 'redelivered ' .. times .. ' times: every worker holding it died', at = tonumber(ARGV[3]) }))
        buried = buried + 1
      else
        redis.call('RPUSH', KEYS[2], v)
        returned = returned + 1
      end
    end
    redis.call('SREM', KEYS[1], id)
    if returned + buried > 0 then
      redis.call('PEXPIRE', KEYS[4], ARGV[5])
      redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[4]) - 1)
    end
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
