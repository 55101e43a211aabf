--[[
  Adds a participant unless their name is taken or the session is full, and publishes `joined`.
  An end-to-end session needs a public key; any other refuses one.

  ARGV[4]  participant id        ARGV[5] name key (core's toLowerCase)   ARGV[6] token hash
  ARGV[7]  participant JSON for `people`   ARGV[8] {id, displayName, publicKey} JSON for the fact
  ARGV[9]  '1' with a public key, '0' without   ARGV[10] most participants allowed

  Reply: {'ok', participantCount, expiresAt}
       | {'no-session'} | {'key-missing'} | {'key-unexpected'} | {'name-taken'} | {'full'}
]]
local expiresAt = live_expiry()
if not expiresAt then
  return { 'no-session' }
end
local encrypted = redis.call('HGET', K.session, 'encryption') == 'e2e'
if encrypted and ARGV[9] ~= '1' then
  return { 'key-missing' }
end
if not encrypted and ARGV[9] == '1' then
  return { 'key-unexpected' }
end
if redis.call('HEXISTS', K.names, ARGV[5]) == 1 then
  return { 'name-taken' }
end
if redis.call('HLEN', K.people) >= tonumber(ARGV[10]) then
  return { 'full' }
end

redis.call('HSET', K.names, ARGV[5], ARGV[4])
if redis.call('HSET', K.people, ARGV[4], ARGV[7]) == 1 then
  redis.call('RPUSH', K.roster, ARGV[4])
end
redis.call('HSET', K.tokens, ARGV[6], ARGV[4])
expire_with_session(K.people, K.roster, K.names, K.tokens)

local count = redis.call('HLEN', K.people)
local sent = redis.call('HGET', K.session, 'sent')
publish('{"type":"joined","participant":' .. ARGV[8] .. ',"participantCount":' .. count .. ',"sent":' .. sent)
return { 'ok', count, redis.call('HGET', K.session, 'expiresAt') }
