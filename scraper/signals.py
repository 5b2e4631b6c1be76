"""The hepza crawl's own Scrapy signals (sent with ``crawler.signals.send_catch_log``)."""

# The archive writer found the documents and images an article page links to (or, for a page answered
# 304, the ones its archived version links to). Sent by the item pipeline, which only hands items to the
# writer; the spider, connected in its ``from_crawler``, turns the links into requests.
# Arguments: attachments (tuple[str, ...]), images (tuple[str, ...]), page_url (str).
file_links_found = object()
