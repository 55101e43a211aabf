--[[
  A process renews the leases of the streams it holds open in a session, and sweeps those of
  processes that stopped renewing (they died), so their holders go offline within a lease.
  A lease that was swept meanwhile (this process stalled) is taken again with its count.

  ARGV[4]  process id   ARGV[5] lease expiry (ms)
  ARGV[6…] pairs: holder, streams this process holds open for them

  Reply: {0, 0} when the session is gone, else {1, the session's latest fact number}
]]
if not live_expiry() then
  return { 0, 0 }
end
local renewed = false
for i = 6, #ARGV, 2 do
  local holder, count = ARGV[i], tonumber(ARGV[i + 1])
  local member = holder .. ' ' .. ARGV[4]
  if redis.call('HEXISTS', K.streams, member) == 1 then
    redis.call('ZADD', K.leases, 'XX', ARGV[5], member)
  elseif count > 0 then
    redis.call('HSET', K.streams, member, count)
    redis.call('ZADD', K.leases, ARGV[5], member)
    if redis.call('HINCRBY', K.online, holder, count) == count and holder ~= HOST then
      publish('{"type":"presence","id":' .. json_string(holder) .. ',"online":true')
    end
    renewed = true
  end
end
sweep()
if renewed then
  expire_with_session(K.streams, K.online, K.leases)
end
return { 1, tonumber(redis.call('HGET', K.session, 'seq')) or 0 }
