"""The shared language of SoRi: the event envelope, the payloads each producer publishes, and the topics."""
