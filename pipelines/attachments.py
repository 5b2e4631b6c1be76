"""Which links are an article's attachments: one list of file extensions for every step that needs it.

The same list decides which links of a body are recorded as its attachments (``pipelines.html_text``),
which ones the writer hands the spider to download (``pipelines.extract.attachment_links``) and which
segment of a document URL names the stored file (``archive.files.safe_name``). Three lists used to
disagree: a ``.zip`` was recorded and never downloaded.
"""

from __future__ import annotations

import re

# Documents an article links to (office files, PDFs, archives).
DOCUMENT_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "zip", "rar")
# Images, downloaded only when asked (HEPZA_DOWNLOAD_IMAGES); they name their files the same way.
IMAGE_EXTENSIONS = ("jpg", "jpeg", "png", "gif", "webp")

# An href that leads to a document: the extension ends the path or a Liferay URL segment
# (``/documents/…/name.pdf/<uuid>``), or comes before the query or fragment.
DOCUMENT_LINK_RE = re.compile(r"\.(?:" + "|".join(DOCUMENT_EXTENSIONS) + r")(?:$|[/?#])", re.IGNORECASE)
# A URL path segment that is a downloaded file's own name.
FILE_NAME_RE = re.compile(r"\.(?:" + "|".join(DOCUMENT_EXTENSIONS + IMAGE_EXTENSIONS) + r")$", re.IGNORECASE)
