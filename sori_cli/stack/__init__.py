"""The embedded local stack behind `sori up`: broker, Temporal, every service, supervised."""
