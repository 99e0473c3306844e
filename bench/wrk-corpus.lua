-- wrk script of bench/http.sh: POST /embed with one request body per line of a file, cycling
-- through the file in order; every server gets the same script and the same file.
--   wrk -t1 -c32 -d20s --timeout 30s -s bench/wrk-corpus.lua http://127.0.0.1:8080 -- BODIES_FILE
-- Each line of BODIES_FILE is a complete JSON body, already escaped ({"inputs":"..."}), so the
-- script never has to escape text itself. done() prints one WRK_RESULT line for HttpBenchmark.

local requests = {}
local next_request = 1

function init(args)
  local path = args[1]
  if path == nil then
    error("usage: wrk ... -s wrk-corpus.lua URL -- BODIES_FILE")
  end
  local headers = {["Content-Type"] = "application/json"}
  for line in io.lines(path) do
    if #line > 0 then
      -- formatted once here, so that a request costs a table lookup, not a string build
      requests[#requests + 1] = wrk.format("POST", "/embed", headers, line)
    end
  end
  if #requests == 0 then
    error("no request bodies in " .. path)
  end
end

function request()
  local r = requests[next_request]
  next_request = next_request % #requests + 1
  return r
end

-- Latencies in microseconds; wrk counts statuses of 400 and above as status errors.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
      "WRK_RESULT requests=%d duration_us=%d status_errors=%d connect_errors=%d read_errors=%d"
          .. " write_errors=%d timeouts=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d\n",
      summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
      latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
