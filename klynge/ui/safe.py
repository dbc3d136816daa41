"""User text (cluster names, stories, descriptions) shown as the plain text it is.

Streamlit renders Markdown (never raw HTML unless asked to), so text from a report is
escaped: no link, image, heading or emphasis in a story can change what the page shows.
"""

from __future__ import annotations

import re

# Every character with a meaning in CommonMark, GitHub-flavoured extensions, or
# Streamlit's own directives (:colour[...], :material/icon:, $maths$). "/" too: the
# browser turns ":material/" into an icon before it reads the escapes.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&=^/])")


def plain(text: str | None) -> str:
    """`text` escaped for st.markdown, its line breaks kept as line breaks."""
    if text is None:
        return ""
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))
    return "  \n".join(escaped.split("\n"))
