-- wrk script for make bench: method, headers and body from the environment (BENCH_METHOD,
-- BENCH_HEADERS as a flat JSON object of strings, BENCH_BODY); prints (non-2xx/3xx answers are summary.errors.status) one BENCH_JSON line when done.
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY") or ""
local headers_json = os.getenv("BENCH_HEADERS") or "{}"

wrk.method = method
if body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end
for k, v in string.gmatch(headers_json, '"([^"]+)"%s*:%s*"([^"]*)"') do
  wrk.headers[k] = v
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "errors": %d, "non2xx": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
end
