--[[
  Reads a live session and, given a token hash, whose token it is. Reads only.

  ARGV[4]  token hash, or '' for none

  Reply: false when there is no live session, else
    { host, createdAt, expiresAt, ttl, sent, delivery, encryption, revealedAt, seq, participantCount,
      actor ('host' | 'participant' | ''), participant JSON or '', that participant's open streams }
]]
if not live_expiry() then
  return false
end
local s = redis.call('HMGET', K.session, 'host', 'createdAt', 'expiresAt', 'ttl', 'sent', 'delivery', 'encryption',
  'revealedAt', 'seq')
local actor, person, streams = '', '', '0'
if ARGV[4] ~= '' then
  if ARGV[4] == s[1] then
    actor = 'host'
  else
    local id = redis.call('HGET', K.tokens, ARGV[4])
    if id then
      actor = 'participant'
      person = redis.call('HGET', K.people, id) or ''
      streams = redis.call('HGET', K.online, id) or '0'
    end
  end
end
return { s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8] or '', s[9] or '0', redis.call('HLEN', K.people),
  actor, person, streams }
