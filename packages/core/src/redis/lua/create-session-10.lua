--[[
  Creates a session unless a live one has the same code. Leftovers of an expired session with
  that code (still in Redis, but past `expiresAt` by the caller's clock) are deleted first.

  KEYS[1]  session    hash: host, createdAt, expiresAt, ttl, sent
  KEYS[2]  people     KEYS[3] roster   KEYS[4] names   KEYS[5] tokens
  KEYS[6]  sent       KEYS[7] tally    KEYS[8] pairs   KEYS[9] inbox   KEYS[10] online
  ARGV[1]  now (ms)
  ARGV[2]  host token hash
  ARGV[3]  createdAt (ms)
  ARGV[4]  expiresAt (ms)
  ARGV[5]  ttlSeconds
  ARGV[6]  milliseconds until expiresAt (relative, so a test clock cannot mis-set real TTLs)

  Reply: 1 created, 0 the code belongs to a live session.
]]
local expiresAt = tonumber(redis.call('HGET', KEYS[1], 'expiresAt'))
if expiresAt and expiresAt > tonumber(ARGV[1]) then
  return 0
end

redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10])
redis.call('HSET', KEYS[1], 'host', ARGV[2], 'createdAt', ARGV[3], 'expiresAt', ARGV[4], 'ttl', ARGV[5], 'sent', '0')
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return 1
