"""Cleaning: plain Python that turns a page's raw fields into a clean article record (no Scrapy here)."""

# Bump when extraction or cleaning changes what a record holds: versions record which one made them, so a
# version caused by our own change is told apart from an edit by the agency.
EXTRACTOR_VERSION = "2026.11.2"
