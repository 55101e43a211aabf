--[[
  Shared by every script: prepended to each when the scripts are defined (scripts.ts), after a
  line that names the script's KEYS in `K`. A script takes as KEYS only the parts of a session it
  touches (scripts.ts lists them; create, extend and end take all fourteen, in the order below),
  and every script the same first three ARGV:

  K.session   hash: host, createdAt, expiresAt, ttl, sent, delivery, encryption, revealedAt, seq
  K.people    hash id -> {"id","displayName","joinedAt","publicKey"}
  K.roster    list of ids in join order
  K.names     hash name key (core's toLowerCase) -> id
  K.tokens    hash token hash -> id
  K.written   sorted set '<sender id> <order> {"id","to"}' (+ "thanked":true), a list per sender
  K.tally     hash sender id -> how many they have sent
  K.pairs     set of <sender JSON><recipient JSON>: the atomic "once per pair"
  K.received  sorted set '<recipient id> <order> {"id","body","receivedAt"}', a list per recipient of
              the visible messages (no sender)
  K.held      hash "<recipient id> <message id>" -> '{"id":…,"body":…' (a reveal session's, unfinished)
  K.authors   hash message id -> sender id (only to tell the author of a thank-you)
  K.leases    sorted set "<holder> <process id>" -> lease expiry (ms)
  K.streams   hash "<holder> <process id>" -> streams that process holds open
  K.online    hash holder -> streams open in all processes (holder: participant id or ~host)
  ARGV[1]  now (ms, core's clock)
  ARGV[2]  events channel
  ARGV[3]  'PUBLISH' (one Redis) or 'SPUBLISH' (a Redis Cluster: sharded pub/sub)

  K.written and K.received are lists kept as sorted sets whose scores are all 0, so that Redis
  orders the members byte by byte: a participant's entries are the lexical range of their id and a
  space, in order of <order>, the session's count of warm showers when the entry was made, zero-
  padded. Appending is one ZADD of a short member. (They were JSON arrays in a hash field: each
  send read, copied and wrote back the whole array, and Redis's Lua hashes every byte of every
  string it makes (redis/redis#9449), so a send cost more with every message a person already had.)
]]
local NOW = tonumber(ARGV[1])
local HOST = '~host'

-- The live session's expiry and the given fields of it, in one HMGET ({expiresAt, ...}), or nil
-- when there is no session or it has expired by the caller's clock.
local function live_session(...)
  local values = redis.call('HMGET', K.session, 'expiresAt', ...)
  local expiresAt = tonumber(values[1])
  if expiresAt and expiresAt > NOW then
    return values
  end
  return nil
end

-- The live session's expiry, or nil when there is none (or it has passed by the caller's clock).
local function live_expiry()
  local s = live_session()
  return s and tonumber(s[1])
end

-- A Lua string as a JSON string (cjson is not everywhere, e.g. ioredis-mock).
local function json_string(s)
  local escaped = string.gsub(s, '[%c"\\]', function(c)
    return string.format('\\u%04x', string.byte(c))
  end)
  return '"' .. escaped .. '"'
end

-- An entry's place in K.written or K.received: the session's count of warm showers, zero-padded.
local function order_of(count)
  return string.format('%010d', count)
end

-- A participant's entries in K.written or K.received, in order, each '<id> <order> <JSON>'.
local function entries_of(key, id)
  return redis.call('ZRANGEBYLEX', key, '[' .. id .. ' ', '(' .. id .. '!')
end

-- Publishes facts in order, each given as its JSON without the closing brace: the session's fact
-- numbers up to `last` (already taken) close them, so that a listener who lost facts in transit
-- sees the gap. Several facts leave as one message, a JSON array: one delivery to every listening
-- process instead of one per fact (a send has two).
-- The message is made as one string from its pieces (Redis's Lua hashes every string it makes,
-- byte by byte: no numbered copy of each fact on the way).
local function publish_numbered(facts, last)
  if #facts == 1 then
    redis.call(ARGV[3], ARGV[2], facts[1] .. ',"seq":' .. last .. '}')
    return
  end
  local pieces = {}
  for i, fact in ipairs(facts) do
    table.insert(pieces, i == 1 and '[' or ',')
    table.insert(pieces, fact)
    table.insert(pieces, ',"seq":' .. (last - #facts + i) .. '}')
  end
  table.insert(pieces, ']')
  redis.call(ARGV[3], ARGV[2], table.concat(pieces))
end

-- The usual way: the numbers taken with one increment of the session's `seq`.
local function publish_all(facts)
  publish_numbered(facts, redis.call('HINCRBY', K.session, 'seq', #facts))
end

local function publish(fact)
  publish_all({ fact })
end

-- Nothing may outlive the session: every key written takes its absolute expiry, to the millisecond.
local function expire_with_session(...)
  local at = redis.call('PEXPIRETIME', K.session)
  for _, key in ipairs({ ... }) do
    redis.call('PEXPIREAT', key, at)
  end
end

-- Takes `count` streams off a holder's total; the last one makes a participant offline for everyone.
local function release(holder, count)
  local left = redis.call('HINCRBY', K.online, holder, -count)
  if left <= 0 then
    redis.call('HDEL', K.online, holder)
    if holder ~= HOST then
      publish('{"type":"presence","id":' .. json_string(holder) .. ',"online":false')
    end
  end
end

-- Streams of a process that stopped renewing its leases (it died) stop counting, and holders left
-- without a stream anywhere go offline for everyone.
local function sweep()
  local dead = redis.call('ZRANGEBYSCORE', K.leases, '-inf', NOW, 'LIMIT', 0, 100)
  for _, member in ipairs(dead) do
    local count = tonumber(redis.call('HGET', K.streams, member)) or 0
    redis.call('HDEL', K.streams, member)
    redis.call('ZREM', K.leases, member)
    local holder = string.match(member, '^(.-) ')
    if count > 0 and holder then
      release(holder, count)
    end
  end
end

-- Takes `n` streams of one holder in one process off the count.
local function close_streams(holder, process, n)
  local member = holder .. ' ' .. process
  local mine = tonumber(redis.call('HGET', K.streams, member)) or 0
  local take = math.min(n, mine)
  if take <= 0 then
    return
  end
  if mine - take <= 0 then
    redis.call('HDEL', K.streams, member)
    redis.call('ZREM', K.leases, member)
  else
    redis.call('HINCRBY', K.streams, member, -take)
  end
  release(holder, take)
end
