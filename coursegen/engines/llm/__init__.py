"""The LLM engine: stages written by a language model through the LLM layer (see engine.py)."""

from coursegen.engines.llm.engine import LLMEngine

__all__ = ["LLMEngine"]
