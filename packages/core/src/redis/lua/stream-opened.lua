--[[
  Counts one more open stream for a holder (a participant id, or ~host) in one process, under a
  lease that process renews. Refuses a holder who already has `limit` open in all processes.
  Publishes `presence` online on a participant's first stream anywhere.

  ARGV[4]  holder   ARGV[5] process id   ARGV[6] limit   ARGV[7] lease expiry (ms)

  Reply: 'ok' | 'no-session' | 'too-many'
]]
if not live_expiry() then
  return 'no-session'
end
local holder = ARGV[4]
if holder ~= HOST and redis.call('HEXISTS', K.people, holder) == 0 then
  return 'no-session'
end
sweep()
local open = tonumber(redis.call('HGET', K.online, holder)) or 0
if open >= tonumber(ARGV[6]) then
  return 'too-many'
end
local member = holder .. ' ' .. ARGV[5]
redis.call('HINCRBY', K.streams, member, 1)
redis.call('HINCRBY', K.online, holder, 1)
redis.call('ZADD', K.leases, ARGV[7], member)
expire_with_session(K.streams, K.online, K.leases)
if open == 0 and holder ~= HOST then
  publish('{"type":"presence","id":' .. json_string(holder) .. ',"online":true')
end
return 'ok'
