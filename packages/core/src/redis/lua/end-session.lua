--[[
  Deletes every key of a session in one DEL; publishes `ended` first when the session was live.
  An expired session's leftovers are deleted too, silently.

  Reply: 1 ended, 0 there was no live session.
]]
local live = live_expiry()
if live then
  publish('{"type":"ended"')
end
redis.call('DEL', unpack(KEYS))
if live then
  return 1
end
return 0
