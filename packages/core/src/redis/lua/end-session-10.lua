--[[
  Deletes every key of a session in one DEL; publishes `ended` when the session was live.
  An expired session's leftovers are deleted too, silently.

  KEYS[1]  session    KEYS[2] people   KEYS[3] roster   KEYS[4] names   KEYS[5] tokens
  KEYS[6]  sent       KEYS[7] tally    KEYS[8] pairs    KEYS[9] inbox   KEYS[10] online
  ARGV[1]  now (ms)
  ARGV[2]  events channel

  Reply: 1 ended, 0 there was no live session.
]]
local expiresAt = tonumber(redis.call('HGET', KEYS[1], 'expiresAt'))
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10])
if not expiresAt or expiresAt <= tonumber(ARGV[1]) then
  return 0
end
redis.call('PUBLISH', ARGV[2], '{"type":"ended"}')
return 1
