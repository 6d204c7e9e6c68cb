"""Working-group rules: only the NALAS working group reviews, decides and verifies."""

SERVICE = "working_group"
