--[[
  Counts closed streams of one process, many holders at once (closes are batched, so that a
  thousand streams closing together are a few calls, not a thousand). Publishes `presence`
  offline for each participant left with no stream anywhere. Does nothing on a gone session.

  ARGV[4]  process id
  ARGV[5…] pairs: holder, how many of their streams closed

  Reply: 1 counted, 0 no live session.
]]
if not live_expiry() then
  return 0
end
for i = 5, #ARGV, 2 do
  close_streams(ARGV[i], ARGV[4], tonumber(ARGV[i + 1]))
end
return 1
