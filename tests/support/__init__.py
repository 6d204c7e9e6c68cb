"""Helpers the tiers share: the stories, people and stand-ins that more than one test module tells or uses."""
