"""Social-approaches rules: a local government reports only on what is assigned to it."""

SERVICE = "social_approaches"
