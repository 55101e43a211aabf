--[[
  Reveals a reveal session (rule 9): every held message joins its recipient's inbox, ahead of any
  later one, ordered by message id (random, so unrelated to the order of sending), each received
  now. Publishes `revealed`; each stream then reads its inbox.

  Reply: {'ok', revealedAt} | {'no-session'} | {'live'} | {'already'}
]]
if not live_expiry() then
  return { 'no-session' }
end
local s = redis.call('HMGET', K.session, 'delivery', 'revealedAt')
if s[1] ~= 'reveal' then
  return { 'live' }
end
if s[2] and s[2] ~= '' then
  return { 'already' }
end
redis.call('HSET', K.session, 'revealedAt', ARGV[1])

-- Byte order, whatever the server's locale (Lua's < on strings follows strcoll).
local function before(a, b)
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then
      return x < y
    end
  end
  return #a < #b
end

local held = redis.call('HGETALL', K.held)
local byRecipient, recipients = {}, {}
for i = 1, #held, 2 do
  local to, id = string.match(held[i], '^(.-) (.*)$')
  if not byRecipient[to] then
    byRecipient[to] = {}
    table.insert(recipients, to)
  end
  table.insert(byRecipient[to], { id = id, message = held[i + 1] .. ',"receivedAt":' .. ARGV[1] .. '}' })
end
for _, to in ipairs(recipients) do
  local list = byRecipient[to]
  table.sort(list, function(a, b)
    return before(a.id, b.id)
  end)
  local messages = {}
  for i, m in ipairs(list) do
    messages[i] = m.message
  end
  local revealed = table.concat(messages, ',')
  local later = redis.call('HGET', K.inbox, to)
  redis.call('HSET', K.inbox, to, '[' .. revealed .. (later and (',' .. string.sub(later, 2)) or ']'))
end
redis.call('DEL', K.held)
if #recipients > 0 then
  expire_with_session(K.inbox)
end
publish('{"type":"revealed","revealedAt":' .. ARGV[1])
return { 'ok', ARGV[1] }
