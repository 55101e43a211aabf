--[[
  Reveals a reveal session (rule 9): every held message joins its recipient's inbox, ahead of any
  later one, ordered by message id (random, so unrelated to the order of sending), each received
  now. Publishes `revealed`; each stream then reads its inbox.

  Reply: {'ok', revealedAt} | {'no-session'} | {'live'} | {'already'}
]]
if not live_expiry() then
  return { 'no-session' }
end
local s = redis.call('HMGET', K.session, 'delivery', 'revealedAt', 'sent')
if s[1] ~= 'reveal' then
  return { 'live' }
end
if s[2] and s[2] ~= '' then
  return { 'already' }
end
redis.call('HSET', K.session, 'revealedAt', ARGV[1])

-- Each held message joins its recipient's list at the place of the session's count of warm
-- showers now: ahead of every later one, and among themselves in byte order of the member's rest,
-- '{"id":…', so by message id (as the memory store sorts them: the characters of ids, base64url,
-- all sort after the '"' that ends one).
local order = order_of(tonumber(s[3]) or 0)
local held = redis.call('HGETALL', K.held)
for i = 1, #held, 2 do
  local to = string.match(held[i], '^(.-) ')
  redis.call('ZADD', K.received, 0, to .. ' ' .. order .. ' ' .. held[i + 1] .. ',"receivedAt":' .. ARGV[1] .. '}')
end
redis.call('DEL', K.held)
if #held > 0 then
  expire_with_session(K.received)
end
publish('{"type":"revealed","revealedAt":' .. ARGV[1])
return { 'ok', ARGV[1] }
