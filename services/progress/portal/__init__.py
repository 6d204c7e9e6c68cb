"""The web portal: server-rendered pages at `/` that call the services' public APIs with the person's token."""
