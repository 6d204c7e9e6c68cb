"""Working-group API bodies, with their OpenAPI examples: one module per resource of api/."""

EXAMPLE_RECOMMENDATION = "3f0c1a52-8a43-4e0b-9d55-7d6c0f2a9e11"
EXAMPLE_MEETING = "a1b2c3d4-0000-4000-8000-000000000001"
EXAMPLE_ACTION = "5d2e8f10-1c2b-4a3d-9e8f-000000000007"
