"""`sori backup` and `sori restore`: every service's database, Temporal's embedded one, the evidence files and the
mail in one archive with a manifest of checksums, and back."""
