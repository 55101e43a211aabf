--[[
  The participants with their open streams, after sweeping the streams of processes that died.

  Reply: false when there is no live session, else { roster ids, people (flat id, JSON, …), online (flat id, count, …) }
]]
if not live_expiry() then
  return false
end
sweep()
return { redis.call('LRANGE', K.roster, 0, -1), redis.call('HGETALL', K.people), redis.call('HGETALL', K.online) }
