--[[
  Creates a session unless a live one has the same code. Leftovers of an expired session with that
  code (still in Redis, but past `expiresAt` by the caller's clock) are deleted first.

  ARGV[4]  host token hash      ARGV[5] createdAt (ms)   ARGV[6] expiresAt (ms)   ARGV[7] ttlSeconds
  ARGV[8]  delivery             ARGV[9] encryption
  ARGV[10] milliseconds until expiresAt (relative, so a test clock cannot mis-set real TTLs)

  Reply: 1 created, 0 the code belongs to a live session.
]]
if live_expiry() then
  return 0
end
redis.call('DEL', unpack(KEYS))
redis.call('HSET', K.session, 'host', ARGV[4], 'createdAt', ARGV[5], 'expiresAt', ARGV[6], 'ttl', ARGV[7],
  'sent', '0', 'delivery', ARGV[8], 'encryption', ARGV[9], 'revealedAt', '', 'seq', '0')
redis.call('PEXPIRE', K.session, ARGV[10])
return 1
