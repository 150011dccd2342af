"""Reading SIPRI files: detection, readers, inspection, discovery, excerpts and fetching.

Reading a file into its final frame (names harmonized, categories filled) is
:func:`arms.frames.load`; this package reads and repairs the formats.
"""

from __future__ import annotations

from arms.io.convert import (  # noqa: F401
    group_deliveries,
    split_deals,
)
from arms.io.detect import (  # noqa: F401
    KIND_OF_VARIANT,
    VARIANTS,
    FormatInfo,
    detect_format,
)
from arms.io.discovery import (  # noqa: F401
    ROLES,
    bundled_files,
    choose,
    describe,
    supplier_file,
)
from arms.io.excerpt import (  # noqa: F401
    extract,
    extract_summary,
)
from arms.io.fetch import (  # noqa: F401
    DEFAULT_API_URL,
    cache_location,
    default_output_path,
    fetch_deliveries,
    fetch_register,
    fetch_tiv,
    request_body,
)
from arms.io.inspect import (  # noqa: F401
    inspect_file,
)
from arms.io.readers import (  # noqa: F401
    parse_delivery_years,
    read_any,
    read_deliveries,
    read_source,
    read_tiv_table,
    read_trade_register,
)

__all__ = [
    "DEFAULT_API_URL",
    "FormatInfo",
    "KIND_OF_VARIANT",
    "ROLES",
    "VARIANTS",
    "bundled_files",
    "cache_location",
    "choose",
    "default_output_path",
    "describe",
    "detect_format",
    "extract",
    "extract_summary",
    "fetch_deliveries",
    "fetch_register",
    "fetch_tiv",
    "group_deliveries",
    "inspect_file",
    "parse_delivery_years",
    "read_any",
    "read_deliveries",
    "read_source",
    "read_tiv_table",
    "read_trade_register",
    "request_body",
    "split_deals",
    "supplier_file",
]
