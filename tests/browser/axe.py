"""axe-core, the accessibility checker, taken from the npm registry once and kept locally.

The tarball is pinned by version and by the registry's sha512 integrity, cached beside the
virtual environment, and injected into pages from disk: no CDN, no Node.js needed.
"""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
import urllib.request
from pathlib import Path

VERSION = "4.14.1"
TARBALL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
CACHE = Path(__file__).resolve().parents[2] / ".venv" / "cache" / f"axe-core-{VERSION}.min.js"

# The WCAG 2.x A and AA rules (2.0, 2.1, 2.2) and axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def script() -> Path:
    """The path of axe.min.js, downloaded and checked the first time."""
    if not CACHE.exists():
        with urllib.request.urlopen(TARBALL, timeout=60) as response:
            tarball = response.read()
        digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
        if digest != INTEGRITY:
            raise RuntimeError(f"axe-core {VERSION} from the npm registry does not match its integrity hash")
        with tarfile.open(fileobj=io.BytesIO(tarball)) as archive:
            source = archive.extractfile("package/axe.min.js").read()
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        partial = CACHE.with_suffix(".part")
        partial.write_bytes(source)
        partial.replace(CACHE)
    return CACHE


def violations(page, impacts=("serious", "critical")) -> list[dict]:
    """axe's violations on the page as it is now, of the given impacts: rule, help and the elements."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(script()))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [
        {"rule": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]
