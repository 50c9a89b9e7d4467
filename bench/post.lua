-- wrk script: POST a new item on every request.
wrk.method = "POST"
wrk.body = '{"title": "Benchmark item", "description": "created by wrk"}'
wrk.headers["Content-Type"] = "application/json"
