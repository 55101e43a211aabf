--[[
  Gives the session a new lifetime (rule 10): the session key and every other key of it take the
  new expiry, and `expiry` is published.

  ARGV[4]  new expiresAt (ms)   ARGV[5] new ttlSeconds
  ARGV[6]  milliseconds until the new expiresAt (relative, like create-session)

  Reply: 1 extended, 0 no live session.
]]
if not live_expiry() then
  return 0
end
redis.call('HSET', K.session, 'expiresAt', ARGV[4], 'ttl', ARGV[5])
redis.call('PEXPIRE', K.session, ARGV[6])
expire_with_session(unpack(KEYS, 2))
publish('{"type":"expiry","expiresAt":' .. ARGV[4] .. ',"ttlSeconds":' .. ARGV[5])
return 1
