-- wrk script for bench/load.sh: POSTs the B2C example quote and stops each thread after
-- its share of REQUESTS (so a run is bounded in requests as well as in time).
local body_file = os.getenv("LOAD_BODY")
local f = assert(io.open(body_file, "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

local limit = tonumber(os.getenv("LOAD_PER_THREAD") or "0")
local count = 0

function response(status, headers, body)
  count = count + 1
  if limit > 0 and count >= limit then wrk.thread:stop() end
end

function done(summary, latency, requests)
  io.write(string.format("requests %d, errors %d (non-2xx or socket), %.0f req/s\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    summary.requests / (summary.duration / 1e6)))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("p%-5s %.3f ms\n", p, latency:percentile(p) / 1000))
  end
end
