-- wrk script: every request is a POST with a small JSON body, as a client of /v1/invoke would send.
wrk.method = "POST"
wrk.body = '{"name":"bench"}'
wrk.headers["Content-Type"] = "application/json"
