--[[
  The recipient of a warm shower thanks it, once (rule 11): the message is marked in their inbox
  and in its author's list, and `thanked` is published for the author alone.

  ARGV[4]  recipient's token hash   ARGV[5] message id   ARGV[6] message id as a JSON string

  Reply: {'ok'} | {'no-session'} | {'unauthorized'} | {'host'} | {'not-found'} | {'already'}
]]
if not live_expiry() then
  return { 'no-session' }
end
local me = redis.call('HGET', K.tokens, ARGV[4])
if not me then
  if redis.call('HGET', K.session, 'host') == ARGV[4] then
    return { 'host' }
  end
  return { 'unauthorized' }
end

-- Marks the entry of `id` in a JSON array of objects that start with {"id":…, (plain search: ids
-- are JSON strings, so they cannot be mistaken for text inside a message).
local function mark(array)
  local entry = '{"id":' .. ARGV[6] .. ','
  local at = array and string.find(array, entry, 1, true)
  if not at then
    return nil, false
  end
  local rest = at + #entry
  if string.sub(array, rest, rest + 14) == '"thanked":true,' then
    return array, true
  end
  return string.sub(array, 1, rest - 1) .. '"thanked":true,' .. string.sub(array, rest), false
end

local inbox, already = mark(redis.call('HGET', K.inbox, me))
local author = redis.call('HGET', K.authors, ARGV[5])
if not inbox or not author then
  return { 'not-found' }
end
if already then
  return { 'already' }
end
redis.call('HSET', K.inbox, me, inbox)
local sent = mark(redis.call('HGET', K.sent, author))
if sent then
  redis.call('HSET', K.sent, author, sent)
end
publish('{"type":"thanked","author":' .. json_string(author) .. ',"id":' .. ARGV[6])
return { 'ok' }
