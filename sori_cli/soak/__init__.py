"""`sori soak`: whole journeys at a steady rate while parts of the stack die, then every invariant reconciled."""
