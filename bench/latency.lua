-- wrk script for bench/run.py: prints one parseable line with requests/s, p50 and p99 latency (ms) and the
-- number of error answers (4xx/5xx). With WRK_BODY set it POSTs that form body, "{n}" replaced by a number
-- unique to each request; WRK_COOKIE is sent as the Cookie header. With WRK_PATHS set (a file, one path a line)
-- each request GETs one of those paths, picked at random (the mixed-traffic row).
local body = os.getenv("WRK_BODY")
local cookie = os.getenv("WRK_COOKIE")
local paths_file = os.getenv("WRK_PATHS")
local paths = {}
if paths_file and paths_file ~= "" then
  for line in io.lines(paths_file) do
    if line ~= "" then
      paths[#paths + 1] = line
    end
  end
end
local counter = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

function init(args)
  math.randomseed(os.time() + (thread_id or 0))
  if cookie and cookie ~= "" then
    wrk.headers["Cookie"] = cookie
  end
  if body and body ~= "" then
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
end

if body and body ~= "" then
  function request()
    counter = counter + 1
    local unique = tostring(thread_id) .. "-" .. tostring(counter) .. "-" .. tostring(os.time())
    return wrk.format(nil, nil, nil, (body:gsub("{n}", unique)))
  end
end

if #paths > 0 then
  function request()
    return wrk.format("GET", paths[math.random(#paths)])
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "WRK_RESULT %.1f %.2f %.2f %d %d\n",
    summary.requests / seconds,
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    summary.errors.status,
    summary.requests
  ))
end
