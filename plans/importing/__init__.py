"""The plan document importer: a file → a Draft (nothing is written), then `save_draft` under one transaction.

from plans.importing import read_document
draft = read_document(data, "ke-hoach.docx", Directory.from_db())
"""

from .directory import Directory
from .draft import Draft
from .errors import ImportRefused
from .extract import extract
from .parser import Parser

__all__ = ["Directory", "Draft", "ImportRefused", "read_document"]


def read_document(data, filename, directory=None):
    """Read a plan document (bytes) into a Draft; raises ImportRefused with a Vietnamese message."""
    directory = directory or Directory.from_db()
    blocks = extract(data, filename)
    fmt = (filename or "").rsplit(".", 1)[-1].lower()
    return Parser(blocks, directory, name=filename, fmt=fmt).parse()
