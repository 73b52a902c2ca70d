from django.contrib.staticfiles.apps import StaticFilesConfig


class VertrouwenStaticFilesConfig(StaticFilesConfig):
    """Collect only the stylesheets of the NL Design System packages, not their sources and scripts.

    background-image-icon.css refers to icons its package does not ship, which the manifest storage refuses.
    """

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "*.scss", "*.json", "*.mjs", "*.cjs", "*.d.ts",
                       "background-image-icon.css", "prince-xml.css", "theme-prince-xml.css"]
