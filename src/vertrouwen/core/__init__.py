"""The pure core: rules, the dataset format, simulation, statistics and report rendering.

Nothing under this package imports Django or the web adapters (an import-linter contract checks it),
so a researcher can run it on a dataset folder without the web app.
"""
