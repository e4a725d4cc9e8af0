"""Yuedu: turn Chinese articles into a bilingual ruby-pinyin reading site."""

__version__ = "0.1.0"
