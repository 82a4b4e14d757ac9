#!/usr/bin/env python3
# Screenshots of the operator console's pages for the README, taken over WebDriver (Debian's chromium and chromedriver):
#   python3 scripts/console-screenshots.py http://127.0.0.1:5080 .devicetwins/api-key docs/console
# against the all-in-one platform (`dotnet run --project src/Silo`) after its simulated fleet has run a few minutes.
import json, urllib.request, base64, subprocess, time, sys
port = 9515
drv = subprocess.Popen(["/usr/bin/chromedriver", f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(1)
def call(method, path, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, data=None if body is None else json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(req).read())["value"]
base = sys.argv[1]; key = open(sys.argv[2]).read().strip(); out = sys.argv[3]
caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"]}}}}
sid = call("POST", "/session", caps)["sessionId"]
def go(url): call("POST", f"/session/{sid}/url", {"url": url})
def js(script): return call("POST", f"/session/{sid}/execute/sync", {"script": script, "args": []})
def shot(name, height=1000):
    call("POST", f"/session/{sid}/window/rect", {"width": 1400, "height": height})
    time.sleep(0.5)
    open(f"{out}/{name}.png", "wb").write(base64.b64decode(call("GET", f"/session/{sid}/screenshot")))
try:
    go(base + "/")
    js(f"sessionStorage.setItem('devicetwins.apiKey', {json.dumps(key)});")
    for page, name, wait, h in [("#/fleet", "fleet", 4, 1000), ("#/devices", "devices", 4, 1000), ("#/devices/sim-0019", "device", 12, 1500), ("#/alerts", "alerts", 4, 1000)]:
        go(base + "/" + page); time.sleep(wait); shot(name, h)
finally:
    call("DELETE", f"/session/{sid}")
    drv.terminate()
