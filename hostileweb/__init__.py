"""The hostile corner of the simulated web: stdlib servers on 127.0.0.1, each endpoint a failure mode.

Like `simweb`, it shares no code with the crawler it tests. Each scenario is one site (one port)
whose server is slow, broken, misconfigured or malicious in one way; an unlisted "canary" server
records any request that an SSRF guard should have stopped.
"""
