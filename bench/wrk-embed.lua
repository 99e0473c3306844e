-- wrk script: POST /embed with one distinct short sentence per request (the same sentences as
-- bench/load.sh --corpus short). Usage:
--   wrk -t2 -c64 -d30s -s bench/wrk-embed.lua http://127.0.0.1:8080
local subjects = {"The cat", "A student", "My neighbour", "The engineer", "Our team", "The old man"}
local verbs = {"reads", "writes", "builds", "finds", "paints", "fixes"}
local objects = {"a book", "the report", "a small boat", "new ideas", "the old fence", "a long letter"}
local counter = 0

request = function()
  local i = counter % 2048
  counter = counter + 1
  local text = subjects[i % 6 + 1] .. " " .. verbs[math.floor(i / 6) % 6 + 1] .. " "
      .. objects[math.floor(i / 36) % 6 + 1] .. " on day " .. i .. "."
  return wrk.format("POST", "/embed", {["Content-Type"] = "application/json"},
      '{"inputs": "' .. text .. '"}')
end

done = function(summary, latency, requests)
  io.write(string.format("non-2xx or socket errors: %d\n",
      summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("latency ms: p50=%.1f p95=%.1f p99=%.1f\n",
      latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
