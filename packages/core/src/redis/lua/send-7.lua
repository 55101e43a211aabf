--[[
  Records one warm shower, at most one per ordered pair, and publishes `message` (for the
  recipient) and then `sent` (for the sender): two payloads, so none names both.

  KEYS[1]  session    hash with expiresAt, host and sent (messages in the session)
  KEYS[2]  people     hash id -> participant JSON
  KEYS[3]  tokens     hash token hash -> id
  KEYS[4]  pairs      set of <sender JSON><recipient JSON>, one per ordered pair sent
  KEYS[5]  sent       hash sender id -> JSON array of recipient ids, in the order sent
  KEYS[6]  tally      hash sender id -> how many they have sent
  KEYS[7]  inbox      hash recipient id -> JSON array of messages {id, text, receivedAt}, oldest first
  ARGV[1]  now (ms)
  ARGV[2]  sender's token hash
  ARGV[3]  recipient id
  ARGV[4]  recipient id as a JSON string
  ARGV[5]  message JSON {id, text, receivedAt} (no sender)
  ARGV[6]  events channel

  Reply: {'ok', senderId, sentCount, participantCount, sent}
       | {'no-session'} | {'unauthorized'} | {'host'} | {'self'} | {'no-recipient'} | {'already-sent'}
]]

-- A Lua string as a JSON string (cjson is not everywhere, e.g. ioredis-mock).
local function json_string(s)
  local escaped = string.gsub(s, '[%c"\\]', function(c)
    return string.format('\\u%04x', string.byte(c))
  end)
  return '"' .. escaped .. '"'
end

-- Appends a JSON value to a JSON array kept as text (nil: a new array).
local function append(array, value)
  if not array then
    return '[' .. value .. ']'
  end
  return string.sub(array, 1, -2) .. ',' .. value .. ']'
end

local expiresAt = tonumber(redis.call('HGET', KEYS[1], 'expiresAt'))
if not expiresAt or expiresAt <= tonumber(ARGV[1]) then
  return { 'no-session' }
end
local from = redis.call('HGET', KEYS[3], ARGV[2])
if not from then
  if redis.call('HGET', KEYS[1], 'host') == ARGV[2] then
    return { 'host' }
  end
  return { 'unauthorized' }
end
local to = ARGV[3]
if from == to then
  return { 'self' }
end
if redis.call('HEXISTS', KEYS[2], to) == 0 then
  return { 'no-recipient' }
end
local fromJSON = json_string(from)
if redis.call('SADD', KEYS[4], fromJSON .. ARGV[4]) == 0 then
  return { 'already-sent' }
end

redis.call('HSET', KEYS[5], from, append(redis.call('HGET', KEYS[5], from), ARGV[4]))
local sentCount = redis.call('HINCRBY', KEYS[6], from, 1)
redis.call('HSET', KEYS[7], to, append(redis.call('HGET', KEYS[7], to), ARGV[5]))
local sent = redis.call('HINCRBY', KEYS[1], 'sent', 1)
local participantCount = redis.call('HLEN', KEYS[2])

-- Nothing may outlive the session: every key takes its absolute expiry, to the millisecond (a
-- relative PTTL read a moment earlier could land a millisecond late).
local sessionExpiry = redis.call('PEXPIRETIME', KEYS[1])
for i = 4, 7 do
  redis.call('PEXPIREAT', KEYS[i], sessionExpiry)
end

redis.call('PUBLISH', ARGV[6], '{"type":"message","to":' .. ARGV[4] .. ',"message":' .. ARGV[5] .. '}')
redis.call('PUBLISH', ARGV[6], '{"type":"sent","from":' .. fromJSON .. ',"sentCount":' .. sentCount
  .. ',"participantCount":' .. participantCount .. ',"sent":' .. sent .. '}')
return { 'ok', from, sentCount, participantCount, sent }
