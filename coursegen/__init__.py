"""coursegen: transcripts in, cited study courses out."""

__version__ = "0.1.0"
