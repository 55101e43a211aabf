--[[
  Reads a live session and, given a token hash, whose token it is. Read-only.

  KEYS[1]  session    KEYS[2] people    KEYS[3] tokens    KEYS[4] online
  ARGV[1]  now (ms)
  ARGV[2]  token hash, or '' for none

  Reply: nil when there is no live session, else
    { host, createdAt, expiresAt, ttl, sent, participantCount,
      actor ('host' | 'participant' | ''), participant JSON or '', open streams of that participant }
]]
local s = redis.call('HMGET', KEYS[1], 'host', 'createdAt', 'expiresAt', 'ttl', 'sent')
local expiresAt = tonumber(s[3])
if not expiresAt or expiresAt <= tonumber(ARGV[1]) then
  return false
end

local actor, person, streams = '', '', '0'
if ARGV[2] ~= '' then
  if ARGV[2] == s[1] then
    actor = 'host'
  else
    local id = redis.call('HGET', KEYS[3], ARGV[2])
    if id then
      actor = 'participant'
      person = redis.call('HGET', KEYS[2], id) or ''
      streams = redis.call('HGET', KEYS[4], id) or '0'
    end
  end
end

return { s[1], s[2], s[3], s[4], s[5], redis.call('HLEN', KEYS[2]), actor, person, streams }
