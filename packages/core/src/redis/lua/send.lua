--[[
  Records one warm shower, at most one per ordered pair. In a session that delivers now (live, or
  revealed) it joins the recipient's inbox and `message` is published (for the recipient); in a
  reveal session not yet revealed it is held. Then `sent` (for the sender): two payloads, so none
  names both the sender and the recipient.

  ARGV[4]  sender's token hash   ARGV[5] recipient id   ARGV[6] recipient id as a JSON string
  ARGV[7]  message id            ARGV[8] the message as JSON without its end: '{"id":…,"body":…'
  ARGV[9]  'text' or 'ciphertext'

  Reply: {'ok', sentCount, participantCount, sent} (never the sender: the caller needs only the counts)
       | {'no-session'} | {'unauthorized'} | {'host'} | {'wrong-kind'} | {'self'} | {'no-recipient'}
       | {'already-sent'}
]]
-- The hot path of the whole app: every call saved here is saved on every warm shower.
local s = live_session('host', 'encryption', 'delivery', 'revealedAt', 'sent', 'seq')
if not s then
  return { 'no-session' }
end
local from = redis.call('HGET', K.tokens, ARGV[4])
if not from then
  if s[2] == ARGV[4] then
    return { 'host' }
  end
  return { 'unauthorized' }
end
if (ARGV[9] == 'ciphertext') ~= (s[3] == 'e2e') then
  return { 'wrong-kind' }
end
local to = ARGV[5]
if from == to then
  return { 'self' }
end
if redis.call('HEXISTS', K.people, to) == 0 then
  return { 'no-recipient' }
end
local held = s[4] == 'reveal' and (not s[5] or s[5] == '')
local box = held and K.held or K.received
-- Every key a send writes expires with the session: when one of them is new (the session's first
-- warm shower, a reveal session's first held one or first after the reveal, or a key Redis
-- evicted), all of them take the session's expiry again.
local allThere = redis.call('EXISTS', K.written, K.tally, K.pairs, K.authors, box) == 5
local fromJSON = json_string(from)
if redis.call('SADD', K.pairs, fromJSON .. ARGV[6]) == 0 then
  return { 'already-sent' }
end

-- The session's count of warm showers with this one: also this one's place in the lists.
local sent = (tonumber(s[6]) or 0) + 1
local order = order_of(sent)
local idJSON = json_string(ARGV[7])
redis.call('ZADD', K.written, 0, from .. ' ' .. order .. ' {"id":' .. idJSON .. ',"to":' .. ARGV[6] .. '}')
local sentCount = redis.call('HINCRBY', K.tally, from, 1)
redis.call('HSET', K.authors, ARGV[7], from)
local message = ARGV[8] .. ',"receivedAt":' .. ARGV[1] .. '}'
if held then
  redis.call('HSET', K.held, to .. ' ' .. ARGV[7], ARGV[8])
else
  redis.call('ZADD', K.received, 0, to .. ' ' .. order .. ' ' .. message)
end
local participantCount = redis.call('HLEN', K.people)
if not allThere then
  expire_with_session(K.written, K.tally, K.pairs, K.authors, box)
end

-- The session's two counters (warm showers, facts) move in one write: their values were read above.
local facts = {}
if not held then
  table.insert(facts, '{"type":"message","to":' .. ARGV[6] .. ',"message":' .. message)
end
table.insert(facts, '{"type":"sent","from":' .. fromJSON .. ',"sentCount":' .. sentCount .. ',"participantCount":'
  .. participantCount .. ',"sent":' .. sent)
local seq = (tonumber(s[7]) or 0) + #facts
redis.call('HSET', K.session, 'sent', sent, 'seq', seq)
publish_numbered(facts, seq)
return { 'ok', sentCount, participantCount, sent }
