"""The JSON API, with the endpoints of Neon's guide, and its OpenAPI document."""
