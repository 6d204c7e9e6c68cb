"""The `sori` command: it composes the services, workflows and library into one stack (up, serve, bench, replay,
migrate, status, demo, token). The only package besides tests that may import several services."""
