--[[
  Counts one open stream fewer; publishes `presence` offline when it was the last.
  Does nothing (and re-creates nothing) when the session is gone.

  KEYS[1]  session    hash with expiresAt
  KEYS[2]  people     hash id -> participant JSON
  KEYS[3]  online     hash id -> open stream count
  ARGV[1]  now (ms)
  ARGV[2]  participant id
  ARGV[3]  participant id as a JSON string
  ARGV[4]  events channel

  Reply: 1 counted, 0 nothing to count.
]]
local expiresAt = tonumber(redis.call('HGET', KEYS[1], 'expiresAt'))
if not expiresAt or expiresAt <= tonumber(ARGV[1]) then
  return 0
end
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 0 then
  return 0
end
local streams = tonumber(redis.call('HGET', KEYS[3], ARGV[2]))
if not streams or streams <= 0 then
  return 0
end

if streams == 1 then
  redis.call('HDEL', KEYS[3], ARGV[2])
  redis.call('PUBLISH', ARGV[4], '{"type":"presence","id":' .. ARGV[3] .. ',"online":false}')
else
  redis.call('HINCRBY', KEYS[3], ARGV[2], -1)
  redis.call('PEXPIREAT', KEYS[3], redis.call('PEXPIRETIME', KEYS[1]))
end
return 1
