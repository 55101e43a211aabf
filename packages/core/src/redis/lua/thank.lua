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

-- The entry of the message in a participant's list (K.received or K.written), and whether it is
-- thanked already: a plain search for '{"id":<id JSON>,', which text inside a message cannot be
-- mistaken for (its quotes are escaped).
local entry = '{"id":' .. ARGV[6] .. ','
local function find(key, id)
  for _, member in ipairs(entries_of(key, id)) do
    local at = string.find(member, entry, 1, true)
    if at then
      local rest = at + #entry
      return member, rest, string.sub(member, rest, rest + 14) == '"thanked":true,'
    end
  end
  return nil
end

-- Puts the entry back marked, at the same place in the list (its '<id> <order> {"id":…,' is
-- unchanged). The marked one goes in first: a list left empty for a moment would take its key, and
-- the key made again would have no expiry.
local function mark(key, member, rest)
  redis.call('ZADD', key, 0, string.sub(member, 1, rest - 1) .. '"thanked":true,' .. string.sub(member, rest))
  redis.call('ZREM', key, member)
end

local received, rest, already = find(K.received, me)
local author = redis.call('HGET', K.authors, ARGV[5])
if not received or not author then
  return { 'not-found' }
end
if already then
  return { 'already' }
end
mark(K.received, received, rest)
local written, writtenRest = find(K.written, author)
if written then
  mark(K.written, written, writtenRest)
end
publish('{"type":"thanked","author":' .. json_string(author) .. ',"id":' .. ARGV[6])
return { 'ok' }
