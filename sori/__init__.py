"""The platform SoRi's services stand on: settings, database, outbox and inbox, auth, Kafka, telemetry, CLI."""
