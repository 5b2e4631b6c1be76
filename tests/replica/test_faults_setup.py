"""The fault rules' own set-up: what a rule needs is ready before the first request it answers."""

import gzip
import zlib

from replica import faults
from replica.faults import Faults, Rule


def test_a_gzip_bomb_is_built_with_its_rule_not_at_the_first_request():
    # Built lazily, a 1 GiB bomb cost the first request it answered seconds of compression: a crawl under
    # load then met its download timeout instead of the size cap the test was about.
    size = 3 << 20
    faults._BOMBS.pop(size, None)
    Faults(Rule("gzip_bomb", size=size))
    bomb = faults._BOMBS[size]
    inflated = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(bomb, 1 << 16)
    assert inflated.startswith(b"<!DOCTYPE html>") and len(bomb) < size // 500
    assert len(gzip.decompress(bomb)) > size
