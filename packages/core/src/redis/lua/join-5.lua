--[[
  Adds a participant unless their name is taken, and publishes `joined`.

  KEYS[1]  session    hash with expiresAt and sent
  KEYS[2]  people     hash id -> participant JSON {id, displayName, joinedAt}
  KEYS[3]  roster     list of ids in join order
  KEYS[4]  names      hash lowercased display name -> id
  KEYS[5]  tokens     hash token hash -> id
  ARGV[1]  now (ms)
  ARGV[2]  participant id
  ARGV[3]  display name, lowercased (JavaScript toLowerCase, not Lua's ASCII-only lower)
  ARGV[4]  token hash
  ARGV[5]  participant JSON for `people`
  ARGV[6]  {id, displayName} JSON for the `joined` fact
  ARGV[7]  events channel

  Reply: {'ok', participantCount, expiresAt} | {'no-session'} | {'name-taken'}
]]
local expiresAt = redis.call('HGET', KEYS[1], 'expiresAt')
if not expiresAt or tonumber(expiresAt) <= tonumber(ARGV[1]) then
  return { 'no-session' }
end
if redis.call('HSETNX', KEYS[4], ARGV[3], ARGV[2]) == 0 then
  return { 'name-taken' }
end

if redis.call('HSET', KEYS[2], ARGV[2], ARGV[5]) == 1 then
  redis.call('RPUSH', KEYS[3], ARGV[2])
end
redis.call('HSET', KEYS[5], ARGV[4], ARGV[2])

-- Nothing may outlive the session: every key takes its absolute expiry, to the millisecond (a
-- relative PTTL read a moment earlier could land a millisecond late).
local sessionExpiry = redis.call('PEXPIRETIME', KEYS[1])
for i = 2, 5 do
  redis.call('PEXPIREAT', KEYS[i], sessionExpiry)
end

local count = redis.call('HLEN', KEYS[2])
local sent = redis.call('HGET', KEYS[1], 'sent')
redis.call('PUBLISH', ARGV[7],
  '{"type":"joined","participant":' .. ARGV[6] .. ',"participantCount":' .. count .. ',"sent":' .. sent .. '}')
return { 'ok', count, expiresAt }
