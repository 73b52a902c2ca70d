"""The Django web app: thin adapters (models, services, selectors, views) around the pure core."""
