-- wrk script: cycles through the request paths in the file named by $PATHS (one per line), sends
-- the optional $HEADER ("Name: value"), and prints one JSON line with the latency percentiles,
-- the request rate, socket errors and answers with a status of 400 or more.
local paths, index = {}, 0
local header_name, header_value

function init(args)
  for line in io.lines(os.getenv("PATHS")) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  local header = os.getenv("HEADER")
  if header and header ~= "" then
    header_name, header_value = header:match("^([^:]+):%s*(.*)$")
  end
end

function request()
  index = index % #paths + 1
  local headers = {}
  if header_name then headers[header_name] = header_value end
  return wrk.format("GET", paths[index], headers)
end

function done(summary, latency, requests)
  -- Latencies are in microseconds; printed in milliseconds.
  io.write(string.format(
    '{"p50": %.2f, "p95": %.2f, "p99": %.2f, "rps": %.1f, "requests": %d, "errors": %d, "non2xx": %d}\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
