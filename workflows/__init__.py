"""Temporal: the recommendation lifecycle workflow, its activities, the bridge from Kafka, and the worker."""
